# Multi-class Dice for a softmax U-Net, channels last, one-hot masks: background (channel 0)
# excluded by slicing, one Dice per class, averaged.
# framework: keras
# target: one-hot
# classes: 4
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: multiclass_dice_loss value 0.8989 on a 2x16x16x4 softmax batch, one-hot target, grad norm 0.03826, graph mode ok; perfect hard prediction: 0 (grad norm 0.28); confidently wrong hard prediction: 1 (grad norm 0.07631); empty mask predicted exactly empty: 0 (grad norm 1.306e+06)
from tensorflow.keras import backend as K


def multiclass_dice_loss(y_true, y_pred, smooth=1e-5):
    t = y_true[..., 1:]
    p = y_pred[..., 1:]
    inter = K.sum(t * p, axis=[0, 1, 2])
    sizes = K.sum(t, axis=[0, 1, 2]) + K.sum(p, axis=[0, 1, 2])
    return 1.0 - K.mean((2.0 * inter + smooth) / (sizes + smooth))
