# V-Net Dice with squares in the denominator, per image, smooth 1e-5 in numerator and denominator.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: vnet_dice_loss value 0.7862 on a 2x16x16x1 sigmoid batch, grad norm 0.05505, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 1 (grad norm 0.0262); empty mask predicted exactly empty: 0 (grad norm 0)
from tensorflow.keras import backend as K


def vnet_dice_loss(y_true, y_pred, smooth=1e-5):
    axes = [1, 2, 3]
    inter = K.sum(y_true * y_pred, axis=axes)
    denom = K.sum(K.square(y_true), axis=axes) + K.sum(K.square(y_pred), axis=axes)
    return K.mean(1.0 - (2.0 * inter + smooth) / (denom + smooth))
