# Binary focal loss on probabilities, clipped, alpha 0.25, gamma 2 (Lin et al.).
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: binary_focal_loss value 0.4772 on a 2x16x16x1 sigmoid batch, grad norm 0.9432, graph mode ok; perfect hard prediction: 8.527e-22 (grad norm 0); confidently wrong hard prediction: 11.26 (grad norm 0); empty mask predicted exactly empty: 8.941e-22 (grad norm 0)
from tensorflow.keras import backend as K


def binary_focal_loss(y_true, y_pred, gamma=2.0, alpha=0.25):
    p = K.clip(y_pred, K.epsilon(), 1.0 - K.epsilon())
    pos = -alpha * y_true * K.pow(1.0 - p, gamma) * K.log(p)
    neg = -(1.0 - alpha) * (1.0 - y_true) * K.pow(p, gamma) * K.log(1.0 - p)
    return K.mean(pos + neg)
