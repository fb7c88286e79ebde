# Hand review: the length of range(-2**63 + 1, 2**63 - 1) overflowed Int and trapped.
# outcome: could-not-analyse
# finding: LD903 range() of 1.845e+19 items exceeds the step limit
from keras import backend as K


def loss(y_true, y_pred):
    total = 0
    for i in range(-9223372036854775807, 9223372036854775807):
        total += i
    return K.mean(K.square(y_true - y_pred)) + total
