# Keras 3 style Dice: epsilon only in the denominator, so an empty target predicted empty costs 1.
# expect: LD303 LD403 LD405
from keras import ops
from keras import backend


def dice_loss(y_true, y_pred):
    intersection = ops.sum(y_true * y_pred)
    return 1.0 - 2.0 * intersection / (ops.sum(y_true) + ops.sum(y_pred) + backend.epsilon())
