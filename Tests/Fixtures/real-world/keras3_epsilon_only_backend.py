# Keras 3 code that keeps `from keras import backend` only for epsilon(), which still exists there.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: bce_dice_loss value 1.858 on a 2x16x16x1 sigmoid batch, grad norm 1.222, graph mode ok; perfect hard prediction: 1.073e-06 (grad norm 0); confidently wrong hard prediction: 16.95 (grad norm 0); empty mask predicted exactly empty: 2.575e-05 (grad norm 0)
from keras import backend, ops


def bce_dice_loss(y_true, y_pred, smooth=1.0):
    eps = backend.epsilon()
    p = ops.clip(y_pred, eps, 1.0 - eps)
    bce = -ops.mean(y_true * ops.log(p) + (1.0 - y_true) * ops.log(1.0 - p))
    inter = ops.sum(y_true * p, axis=(1, 2, 3))
    total = ops.sum(y_true + p, axis=(1, 2, 3))
    return bce + ops.mean(1.0 - (2.0 * inter + smooth) / (total + smooth))
