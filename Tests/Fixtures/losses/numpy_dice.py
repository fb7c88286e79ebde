# A NumPy Dice (as in evaluation scripts): soft, smoothed, per sample.
# expect: clean
import numpy as np


def dice_loss(y_true, y_pred, smooth=1.0):
    y_true = y_true.astype(np.float32)
    intersection = np.sum(y_true * y_pred, axis=(1, 2, 3))
    union = np.sum(y_true, axis=(1, 2, 3)) + np.sum(y_pred, axis=(1, 2, 3))
    return np.mean(1.0 - (2.0 * intersection + smooth) / (union + smooth))
