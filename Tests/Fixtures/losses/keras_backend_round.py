# Rounding the prediction before the Dice: the gradient is zero almost everywhere.
# expect: LD103 LD105 LD405
from tensorflow.keras import backend as K


def hard_dice_loss(y_true, y_pred):
    y_hard = K.round(y_pred)
    intersection = K.sum(y_true * y_hard)
    return 1.0 - (2.0 * intersection + 1.0) / (K.sum(y_true) + K.sum(y_hard) + 1.0)
