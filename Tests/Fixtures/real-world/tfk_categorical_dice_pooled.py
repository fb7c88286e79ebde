# Multi-class masks flattened together with the background: one pooled overlap in which the
# background (most pixels) dominates, so predicting all background already scores well.
# framework: keras
# target: one-hot
# classes: 4
# expect: LD312
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.7384 on a 2x16x16x4 softmax batch, one-hot target, grad norm 0.03966, graph mode ok; perfect hard prediction: 0 (grad norm 0.04415); confidently wrong hard prediction: 0.999 (grad norm 0.04413); empty mask predicted exactly empty: 0 (grad norm 0.04415)
# known-issue: today LossDoctor misses LD312 (LD403 info 12:5 statistics are pooled over the batch: on mixed/soft the batch's loss is 0.6398, its samples' alone avera)
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred, smooth=1.0):
    t = K.flatten(y_true)
    p = K.flatten(y_pred)
    return 1.0 - (2.0 * K.sum(t * p) + smooth) / (K.sum(t) + K.sum(p) + smooth)
