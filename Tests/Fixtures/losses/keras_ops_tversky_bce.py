# Tversky + BCE with keras.ops.
# expect: clean
import keras
from keras import ops


def tversky_bce_loss(y_true, y_pred, alpha=0.3, beta=0.7, smooth=1.0):
    tp = ops.sum(y_true * y_pred, axis=(1, 2, 3))
    fp = ops.sum((1.0 - y_true) * y_pred, axis=(1, 2, 3))
    fn = ops.sum(y_true * (1.0 - y_pred), axis=(1, 2, 3))
    tversky = (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)
    bce = ops.mean(ops.binary_crossentropy(y_true, y_pred))
    return bce + ops.mean(1.0 - tversky)
