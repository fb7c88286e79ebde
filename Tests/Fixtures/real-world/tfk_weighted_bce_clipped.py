# The same weighted BCE with the prediction clipped to [eps, 1 - eps] first.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: weighted_bce value 0.1705 on a 2x16x16x1 sigmoid batch, grad norm 0.2066, graph mode ok; perfect hard prediction: 2.03e-08 (grad norm 0); confidently wrong hard prediction: 2.729 (grad norm 0); empty mask predicted exactly empty: 1.192e-08 (grad norm 0)
from tensorflow.keras import backend as K


def weighted_bce(y_true, y_pred, w_pos=0.9, w_neg=0.1):
    p = K.clip(y_pred, K.epsilon(), 1.0 - K.epsilon())
    loss = -(w_pos * y_true * K.log(p) + w_neg * (1.0 - y_true) * K.log(1.0 - p))
    return K.mean(loss)
