import keras
from keras import ops


def focal_loss(y_true, y_pred):
    """Binary focal cross-entropy, alpha 0.25, gamma 2."""
    p = ops.clip(y_pred, 1e-7, 1 - 1e-7)
    bce = -(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p))
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    alpha = y_true * 0.25 + (1 - y_true) * 0.75
    return ops.mean(alpha * ops.power(1 - p_t, 2.0) * bce)
