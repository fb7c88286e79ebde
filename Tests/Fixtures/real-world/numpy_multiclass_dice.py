# A NumPy multi-class Dice for validation, channels last, per class, smoothed.
# framework: numpy
# target: one-hot
# classes: 3
# expect: clean
# verified: numpy 2.4.6: multiclass_dice_loss value 0.7604 on a 2x16x16x3 softmax batch, one-hot target, no autograd (NumPy); perfect hard prediction: 0; confidently wrong hard prediction: 1; empty mask predicted exactly empty: 0
import numpy as np


def multiclass_dice_loss(y_true, y_pred, smooth=1e-5):
    inter = np.sum(y_true * y_pred, axis=(0, 1, 2))
    sizes = np.sum(y_true, axis=(0, 1, 2)) + np.sum(y_pred, axis=(0, 1, 2))
    return 1.0 - np.mean((2.0 * inter + smooth) / (sizes + smooth))
