# Hand review: doubling a string 64 times must end with the memory limit, not the machine.
# outcome: could-not-analyse
# finding: LD903 one evaluation holds
from keras import backend as K


def loss(y_true, y_pred):
    s = "ab"
    for i in range(64):
        s = s + s
    return K.mean(K.square(y_true - y_pred))
