# A Dice coefficient whose sums run over axis=-1 (the single mask channel): a Dice per pixel, not per mask.
# framework: keras
# expect: LD307
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.2037 (shape (2, 16, 16), mean) on a 2x16x16x1 sigmoid batch, grad norm 0.02258, graph mode ok; perfect hard prediction: 0 (shape (2, 16, 16), mean) (grad norm 0); confidently wrong hard prediction: 0.5 (shape (2, 16, 16), mean) (grad norm 0.0211); empty mask predicted exactly empty: 0 (shape (2, 16, 16), mean) (grad norm 0)
from tensorflow.keras import backend as K


def dice_coefficient(y_true, y_pred, smooth=1.0):
    inter = K.sum(K.abs(y_true * y_pred), axis=-1)
    return (2.0 * inter + smooth) / (K.sum(K.square(y_true), -1) + K.sum(K.square(y_pred), -1) + smooth)


def dice_loss(y_true, y_pred):
    return 1.0 - dice_coefficient(y_true, y_pred)
