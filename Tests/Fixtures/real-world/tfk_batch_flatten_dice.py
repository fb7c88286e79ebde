# Per-sample Dice with K.batch_flatten and keepdims sums (a per_batch switch in the original).
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8332 on a 2x16x16x1 sigmoid batch, grad norm 0.04024, graph mode ok; perfect hard prediction: 0 (grad norm 0.4351); confidently wrong hard prediction: 0.9961 (grad norm 0.02605); empty mask predicted exactly empty: 0 (grad norm 11.31)
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred, smooth=1.0):
    t = K.batch_flatten(y_true)
    p = K.batch_flatten(y_pred)
    inter = 2.0 * K.sum(t * p, axis=1, keepdims=True) + smooth
    union = K.sum(t, axis=1, keepdims=True) + K.sum(p, axis=1, keepdims=True) + smooth
    return 1.0 - K.mean(inter / union)
