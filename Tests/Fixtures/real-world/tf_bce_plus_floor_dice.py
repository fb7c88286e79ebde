# BCE plus a floor-divided Dice: the BCE trains, TensorFlow silently gives the Dice term no gradient.
# framework: tf
# expect: LD101 LD104
# verified: tensorflow 2.21.0 / keras 3.15.1: bce_dice_loss value 2.025 on a 2x16x16x1 sigmoid batch, grad norm 1.216, graph mode ok; perfect hard prediction: 1.192e-07 (grad norm 0); confidently wrong hard prediction: 16.96 (grad norm 0); empty mask predicted exactly empty: 1.192e-07 (grad norm 0)
import tensorflow as tf


def bce_dice_loss(y_true, y_pred):
    bce = tf.reduce_mean(tf.keras.losses.binary_crossentropy(y_true, y_pred))
    inter = tf.reduce_sum(y_true * y_pred)
    dice = (2.0 * inter + 1.0) // (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + 1.0)
    return bce + 1.0 - dice
