# `smooth` is accepted but a literal stands where it was meant.
# expect: LD405 LD605
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred, smooth=100.0):
    intersection = K.sum(y_true * y_pred, axis=[1, 2, 3])
    union = K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3])
    return K.mean(1.0 - (2.0 * intersection + 1.0) / (union + 1.0))
