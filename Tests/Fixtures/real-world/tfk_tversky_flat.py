# Tversky loss on flattened masks, false negatives weighted 0.7 (lesion segmentation repositories).
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: tversky_loss value 0.7571 on a 2x16x16x1 sigmoid batch, grad norm 0.05928, graph mode ok; perfect hard prediction: 0 (grad norm 0.174); confidently wrong hard prediction: 0.9942 (grad norm 0.0388); empty mask predicted exactly empty: 0 (grad norm 6.788)
from tensorflow.keras import backend as K


def tversky_index(y_true, y_pred, alpha=0.7, smooth=1.0):
    t = K.flatten(y_true)
    p = K.flatten(y_pred)
    tp = K.sum(t * p)
    fn = K.sum(t * (1.0 - p))
    fp = K.sum((1.0 - t) * p)
    return (tp + smooth) / (tp + alpha * fn + (1.0 - alpha) * fp + smooth)


def tversky_loss(y_true, y_pred):
    return 1.0 - tversky_index(y_true, y_pred)
