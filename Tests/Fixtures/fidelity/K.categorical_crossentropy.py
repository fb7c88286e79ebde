from tensorflow.keras import backend as K


def loss(y_true, y_pred):
    return K.categorical_crossentropy(K.concatenate([1 - y_true, y_true]), K.concatenate([1 - y_pred, y_pred]))
