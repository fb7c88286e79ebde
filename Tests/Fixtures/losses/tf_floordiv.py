# tf.math.floordiv in a Dice ratio: no gradient, and the ratio floors to 0.
# expect: LD101 LD105 LD405
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1.0):
    intersection = tf.reduce_sum(y_true * y_pred)
    union = tf.reduce_sum(y_true) + tf.reduce_sum(y_pred)
    return 1.0 - tf.math.floordiv(2.0 * intersection + smooth, union + smooth)
