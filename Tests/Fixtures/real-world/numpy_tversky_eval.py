# A NumPy Tversky index for threshold selection, smoothed, pooled.
# framework: numpy
# expect: clean
# verified: numpy 2.4.6: tversky_loss value 0.7571 on a 2x16x16x1 sigmoid batch, no autograd (NumPy); perfect hard prediction: 0; confidently wrong hard prediction: 0.9942; empty mask predicted exactly empty: 0
import numpy as np


def tversky_loss(y_true, y_pred, alpha=0.3, beta=0.7, smooth=1.0):
    tp = np.sum(y_true * y_pred)
    fp = np.sum((1 - y_true) * y_pred)
    fn = np.sum(y_true * (1 - y_pred))
    return 1.0 - (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)
