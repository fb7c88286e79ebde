# Hand review: slice steps of +-2**63 overflowed the slice length arithmetic and trapped.
# outcome: analysed
from keras import backend as K


def loss(y_true, y_pred):
    a = [1, 2, 3][::9223372036854775807]
    b = [1, 2, 3][::-9223372036854775807 - 1]
    c = y_pred[::9223372036854775807]
    return K.mean(K.square(y_true - y_pred)) * len(a) * len(b)
