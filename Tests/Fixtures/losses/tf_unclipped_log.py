# A hand-written BCE with tf.math.log and no epsilon: log(0) on confident predictions.
# expect: LD201 LD202
import tensorflow as tf


def bce_loss(y_true, y_pred):
    return -tf.reduce_mean(y_true * tf.math.log(y_pred) + (1.0 - y_true) * tf.math.log(1.0 - y_pred))
