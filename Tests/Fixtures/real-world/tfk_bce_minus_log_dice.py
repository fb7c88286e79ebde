# Airbus-ship style: BCE minus log of a per-image smoothed Dice.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: bce_log_dice value 2.816 on a 2x16x16x1 sigmoid batch, grad norm 1.273, graph mode ok; perfect hard prediction: 1.192e-07 (grad norm 0.4351); confidently wrong hard prediction: 21.51 (grad norm 6.695); empty mask predicted exactly empty: 1.192e-07 (grad norm 11.31)
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.losses import binary_crossentropy


def dice_coeff(target, pred, smooth=1.0):
    inter = K.sum(target * pred, axis=[1, 2, 3])
    union = K.sum(target, axis=[1, 2, 3]) + K.sum(pred, axis=[1, 2, 3])
    return K.mean((2.0 * inter + smooth) / (union + smooth), axis=0)


def bce_log_dice(target, pred):
    return K.mean(binary_crossentropy(target, pred)) - tf.math.log(dice_coeff(target, pred))
