# Keras 3 soft Dice with keras.ops, smoothed per sample.
# expect: clean
from keras import ops


def dice_loss(y_true, y_pred, smooth=1.0):
    y_true = ops.cast(y_true, "float32")
    intersection = ops.sum(y_true * y_pred, axis=(1, 2, 3))
    total = ops.sum(y_true, axis=(1, 2, 3)) + ops.sum(y_pred, axis=(1, 2, 3))
    return ops.mean(1.0 - (2.0 * intersection + smooth) / (total + smooth))
