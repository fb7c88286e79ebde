# U-Net tutorial style: a Dice coefficient over the flattened batch and its loss 1 - coefficient.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_coefficient_loss value 0.8272 on a 2x16x16x1 sigmoid batch, grad norm 0.04294, graph mode ok; perfect hard prediction: 0 (grad norm 0.2487); confidently wrong hard prediction: 0.9981 (grad norm 0.02613); empty mask predicted exactly empty: 0 (grad norm 22.63)
from tensorflow.keras import backend as K

SMOOTH = 1.0


def dice_coefficient(y_true, y_pred):
    t = K.flatten(y_true)
    p = K.flatten(y_pred)
    overlap = K.sum(t * p)
    return (2.0 * overlap + SMOOTH) / (K.sum(t) + K.sum(p) + SMOOTH)


def dice_coefficient_loss(y_true, y_pred):
    return 1.0 - dice_coefficient(y_true, y_pred)
