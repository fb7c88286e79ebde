# A loss factory: the hyper-parameter is bound by a closure.
# expect: clean
import tensorflow as tf


def make_dice(smooth=1.0):
    def loss(y_true, y_pred):
        intersection = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
        total = tf.reduce_sum(y_true + y_pred, axis=[1, 2, 3])
        return tf.reduce_mean(1.0 - (2.0 * intersection + smooth) / (total + smooth))
    return loss
