# np.floor_divide in an IoU ratio.
# expect: LD101 LD105 LD405
import numpy as np


def iou_loss(y_true, y_pred):
    intersection = np.sum(y_true * y_pred)
    union = np.sum(y_true) + np.sum(y_pred) - intersection
    return 1.0 - np.floor_divide(intersection + 1.0, union + 1.0)
