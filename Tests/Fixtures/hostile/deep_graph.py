# Hand review: a sum of 400 000 terms built a graph whose release recursed once per op and overflowed the stack.
# outcome: could-not-analyse
# finding: LD903 evaluation exceeded 200000 steps
from keras import backend as K


def loss(y_true, y_pred):
    s = K.mean(y_pred)
    return sum([s] * 400000)
