# NumPy evaluation Dice with np.floor_divide: the score is 0 for every imperfect prediction.
# framework: numpy
# expect: LD101
# verified: numpy 2.4.6: dice_loss value 1 on a 2x16x16x1 sigmoid batch, no autograd (NumPy); perfect hard prediction: 0; confidently wrong hard prediction: 1; empty mask predicted exactly empty: 0
import numpy as np


def dice_loss(y_true, y_pred, smooth=1.0):
    inter = np.sum(y_true * y_pred)
    return 1.0 - np.floor_divide(2.0 * inter + smooth, np.sum(y_true) + np.sum(y_pred) + smooth)
