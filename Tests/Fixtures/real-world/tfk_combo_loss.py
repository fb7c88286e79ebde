# Combo loss (Taghanaki et al.): a weighted, clipped cross-entropy minus a smoothed Dice.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: combo_loss value 0.1697 on a 2x16x16x1 sigmoid batch, grad norm 0.3078, graph mode ok; perfect hard prediction: -0.5 (grad norm 0.1243); confidently wrong hard prediction: 3.988 (grad norm 0.01306); empty mask predicted exactly empty: -0.5 (grad norm 11.31)
import tensorflow as tf
from tensorflow.keras import backend as K

ALPHA = 0.5
CE_RATIO = 0.5


def combo_loss(targets, inputs, eps=1e-7, smooth=1.0):
    t = K.flatten(tf.cast(targets, tf.float32))
    p = K.flatten(inputs)
    dice = (2.0 * K.sum(t * p) + smooth) / (K.sum(t) + K.sum(p) + smooth)
    p = K.clip(p, eps, 1.0 - eps)
    ce = -(ALPHA * t * K.log(p) + (1.0 - ALPHA) * (1.0 - t) * K.log(1.0 - p))
    return CE_RATIO * K.mean(ce) - (1.0 - CE_RATIO) * dice
