# A typo in a name: NameError at the first call.
# expect: LD603
# not-analysed
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1.0):
    intersection = tf.reduce_sum(y_true * y_pred)
    return 1.0 - (2.0 * intersecton + smooth) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + smooth)
