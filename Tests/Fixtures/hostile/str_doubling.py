# Hand review: s = str([s, s]) in a loop doubled a string 40 times: str() of nested strings is now cut and charged.
# outcome: analysed
from keras import backend as K


def loss(y_true, y_pred):
    s = "ab"
    for i in range(40):
        s = str([s, s])
    return K.mean(K.square(y_true - y_pred))
