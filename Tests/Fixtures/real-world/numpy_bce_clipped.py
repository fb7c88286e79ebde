# NumPy BCE for offline evaluation, predictions clipped before the log.
# framework: numpy
# expect: clean
# verified: numpy 2.4.6: bce value 1.025 on a 2x16x16x1 sigmoid batch, no autograd (NumPy); perfect hard prediction: 1.192e-07; confidently wrong hard prediction: 15.96; empty mask predicted exactly empty: 1.192e-07
import numpy as np


def bce(y_true, y_pred, eps=1e-7):
    p = np.clip(y_pred, eps, 1.0 - eps)
    return -np.mean(y_true * np.log(p) + (1.0 - y_true) * np.log(1.0 - p))
