# Hand review: [0] * 10**12 allocated 8 TB at once (AddressSanitizer: allocation-size-too-big).
# outcome: could-not-analyse
# finding: LD903 one evaluation holds 8000000000032 elements
from keras import backend as K


def loss(y_true, y_pred):
    zeros = [0] * 10 ** 12
    return K.mean(K.square(y_true - y_pred)) + len(zeros)
