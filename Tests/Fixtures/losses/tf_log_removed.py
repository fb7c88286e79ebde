# `tf.log` (removed in TensorFlow 2) on an unclipped probability.
# expect: LD201 LD202 LD601
import tensorflow as tf


def bce_loss(y_true, y_pred):
    loss = -(y_true * tf.log(y_pred) + (1.0 - y_true) * tf.log(1.0 - y_pred))
    return tf.reduce_mean(loss)
