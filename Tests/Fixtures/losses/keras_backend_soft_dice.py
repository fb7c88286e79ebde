# A per-sample soft Dice with the Keras backend, smoothed in numerator and denominator.
# expect: clean
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred, smooth=1.0):
    intersection = K.sum(y_true * y_pred, axis=[1, 2, 3])
    union = K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3])
    dice = (2.0 * intersection + smooth) / (union + smooth)
    return K.mean(1.0 - dice)
