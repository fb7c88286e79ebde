# NumPy IoU without smoothing: an empty mask predicted empty is 0/0 (nan, RuntimeWarning).
# framework: numpy
# expect: LD201
# verified: numpy 2.4.6: iou_loss value 0.9071 on a 2x16x16x1 sigmoid batch, no autograd (NumPy); perfect hard prediction: 0; confidently wrong hard prediction: 1; empty mask predicted exactly empty: nan
import numpy as np


def iou_loss(y_true, y_pred):
    inter = np.sum(y_true * y_pred)
    union = np.sum(y_true) + np.sum(y_pred) - inter
    return 1.0 - inter / union
