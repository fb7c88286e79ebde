# Hand review: str() and == of a list that contains itself recursed until the stack overflowed.
# outcome: could-not-analyse
# finding: LD903 RecursionError: maximum recursion depth exceeded in comparison
from keras import backend as K


def loss(y_true, y_pred):
    a = [1]
    a.append(a)
    b = [1]
    b.append(b)
    text = str(a)
    same = a == b
    return K.mean(K.square(y_true - y_pred))
