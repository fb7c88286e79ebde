# An evaluation-script Dice in NumPy (no gradient needed), smoothed and per image.
# framework: numpy
# expect: clean
# verified: numpy 2.4.6: dice_loss value 0.8332 on a 2x16x16x1 sigmoid batch, no autograd (NumPy); perfect hard prediction: 0; confidently wrong hard prediction: 0.9961; empty mask predicted exactly empty: 0
import numpy as np


def dice_loss(y_true, y_pred, smooth=1.0):
    inter = np.sum(y_true * y_pred, axis=(1, 2, 3))
    total = np.sum(y_true, axis=(1, 2, 3)) + np.sum(y_pred, axis=(1, 2, 3))
    return float(np.mean(1.0 - (2.0 * inter + smooth) / (total + smooth)))
