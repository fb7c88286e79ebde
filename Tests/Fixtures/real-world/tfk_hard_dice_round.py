# "Hard" Dice: the prediction is rounded to 0/1 before the overlap, so the gradient is zero.
# framework: keras
# expect: LD103 LD501
# verified: tensorflow 2.21.0 / keras 3.15.1: hard_dice_loss value 0.8179 on a 2x16x16x1 sigmoid batch, grad None, graph mode ok; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 0.9981 (grad None); empty mask predicted exactly empty: 0 (grad None)
from tensorflow.keras import backend as K


def hard_dice_loss(y_true, y_pred, smooth=1.0):
    yp = K.round(K.clip(y_pred, 0.0, 1.0))
    inter = K.sum(K.flatten(y_true) * K.flatten(yp))
    return 1.0 - (2.0 * inter + smooth) / (K.sum(y_true) + K.sum(yp) + smooth)
