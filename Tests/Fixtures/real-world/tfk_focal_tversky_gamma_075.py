# Focal Tversky with the exponent 0.75 applied directly: d/dx x**0.75 is infinite at x = 0,
# so a perfect prediction (1 - TI = 0) gives an infinite gradient (NaN in training).
# framework: keras
# expect: LD201
# verified: tensorflow 2.21.0 / keras 3.15.1: focal_tversky value 0.8117 on a 2x16x16x1 sigmoid batch, grad norm 0.04767, graph mode ok; perfect hard prediction: 0 (grad NOT finite); confidently wrong hard prediction: 0.9957 (grad norm 0.02914); empty mask predicted exactly empty: 0 (grad NOT finite)
import tensorflow as tf
from tensorflow.keras import backend as K


def tversky(y_true, y_pred, alpha=0.7, smooth=1.0):
    t = K.flatten(y_true)
    p = K.flatten(y_pred)
    tp = K.sum(t * p)
    return (tp + smooth) / (tp + alpha * K.sum(t * (1 - p)) + (1 - alpha) * K.sum((1 - t) * p) + smooth)


def focal_tversky(y_true, y_pred, gamma=0.75):
    return K.pow(1.0 - tversky(y_true, y_pred), gamma)
