# A loss that would run a shell command: never executed, reported as an unknown call.
# expect: LD902
# not-analysed
import os
import tensorflow as tf


def dice_loss(y_true, y_pred):
    os.system("echo training")
    intersection = tf.reduce_sum(y_true * y_pred)
    return 1.0 - (2.0 * intersection + 1.0) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + 1.0)
