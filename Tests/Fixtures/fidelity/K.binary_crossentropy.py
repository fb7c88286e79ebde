from tensorflow.keras import backend as K


def loss(y_true, y_pred):
    return K.binary_crossentropy(y_true, y_pred)
