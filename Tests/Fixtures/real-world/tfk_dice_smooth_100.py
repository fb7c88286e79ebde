# Per-image Dice with smooth=100: small objects barely move the loss.
# framework: keras
# expect: LD404
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.4981 on a 2x16x16x1 sigmoid batch, grad norm 0.02915, graph mode ok; perfect hard prediction: 0 (grad norm 0.08222); confidently wrong hard prediction: 0.7191 (grad norm 0.0183); empty mask predicted exactly empty: 0 (grad norm 0.1131)
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred, smooth=100.0):
    inter = K.sum(y_true * y_pred, axis=[1, 2, 3])
    card = K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3])
    return K.mean(1.0 - (2.0 * inter + smooth) / (card + smooth))
