# A Dice without any smoothing: 0/0 on an empty target predicted empty.
# expect: LD201 LD405
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred):
    intersection = K.sum(y_true * y_pred, axis=[1, 2, 3])
    union = K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3])
    return K.mean(1.0 - 2.0 * intersection / union)
