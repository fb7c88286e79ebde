import keras
from keras import ops


def soft_dice_loss(y_true, y_pred):
    """Soft Dice per sample, smooth 1 in numerator and denominator."""
    axes = [1, 2, 3]
    intersection = ops.sum(y_true * y_pred, axis=axes)
    total = ops.sum(y_true, axis=axes) + ops.sum(y_pred, axis=axes)
    return ops.mean(1 - (2 * intersection + 1) / (total + 1))
