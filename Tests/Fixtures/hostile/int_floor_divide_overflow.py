# Hand review: Python ints near 2**63 divided through a double and trapped the process (Int(9.2e18)).
# outcome: analysed
from keras import backend as K


def loss(y_true, y_pred):
    a = 9223372036854775807 // 1
    b = (-9223372036854775807 - 1) // -1
    c = (-9223372036854775807 - 1) % -1
    return K.mean(K.square(y_true - y_pred)) + (a - a) + (c - c) + 0 * b
