# A Python loop over the classes of a softmax output, one smoothed Dice per channel, averaged.
# framework: keras
# target: one-hot
# classes: 3
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: multilabel_dice_loss value 0.7575 on a 2x16x16x3 softmax batch, one-hot target, grad norm 0.03294, graph mode ok; perfect hard prediction: 0 (grad norm 0.1163); confidently wrong hard prediction: 0.995 (grad norm 0.05774); empty mask predicted exactly empty: 0 (grad norm 10.67)
from tensorflow.keras import backend as K


def dice_coef_multilabel(y_true, y_pred, num_classes=3, smooth=1.0):
    total = 0.0
    for c in range(num_classes):
        t = K.flatten(y_true[..., c])
        p = K.flatten(y_pred[..., c])
        total += (2.0 * K.sum(t * p) + smooth) / (K.sum(t) + K.sum(p) + smooth)
    return total / num_classes


def multilabel_dice_loss(y_true, y_pred):
    return 1.0 - dice_coef_multilabel(y_true, y_pred)
