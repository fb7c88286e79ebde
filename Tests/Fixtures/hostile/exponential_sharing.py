# Hand review: a list shared 2**60 times prints and compares in exponential time unless cut.
# outcome: could-not-analyse
# finding: LD903 evaluation exceeded 200000 steps
from keras import backend as K


def loss(y_true, y_pred):
    a = [1]
    b = [1]
    for i in range(60):
        a = [a, a]
        b = [b, b]
    text = str(a)
    same = a == b
    return K.mean(K.square(y_true - y_pred))
