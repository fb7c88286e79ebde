# Keras BCE called with its arguments swapped: the log is taken of the hard target.
# framework: tf
# expect: LD306
# verified: tensorflow 2.21.0 / keras 3.15.1: bce_dice_loss value 8.597 on a 2x16x16x1 sigmoid batch, grad norm 0.7343, graph mode ok; perfect hard prediction: 1.192e-07 (grad norm 1.109); confidently wrong hard prediction: 17.1 (grad norm 0.7199); empty mask predicted exactly empty: 1.192e-07 (grad norm 12.03)
import tensorflow as tf


def bce_dice_loss(y_true, y_pred, smooth=1.0):
    bce = tf.reduce_mean(tf.keras.losses.binary_crossentropy(y_pred, y_true))
    inter = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
    total = tf.reduce_sum(y_true + y_pred, axis=[1, 2, 3])
    return bce + tf.reduce_mean(1.0 - (2.0 * inter + smooth) / (total + smooth))
