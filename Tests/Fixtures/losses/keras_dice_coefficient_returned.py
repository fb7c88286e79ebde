# Returns the Dice coefficient itself: minimising it makes predictions worse.
# expect: LD301 LD405
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred, smooth=1.0):
    intersection = K.sum(y_true * y_pred, axis=[1, 2, 3])
    union = K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3])
    return K.mean((2.0 * intersection + smooth) / (union + smooth))
