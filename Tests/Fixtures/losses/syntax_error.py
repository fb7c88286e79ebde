# A missing colon: the file cannot be analysed.
# expect: LD603
# not-analysed
import tensorflow as tf


def dice_loss(y_true, y_pred)
    return 1.0 - tf.reduce_sum(y_true * y_pred)
