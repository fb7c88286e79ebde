# TensorFlow 1 API in a TF 2 project: tf.log was removed (tf.math.log).
# framework: tf
# expect: LD601
# verified: tensorflow 2.21.0 / keras 3.15.1: bce raises AttributeError: module 'tensorflow' has no attribute 'log' on a 2x16x16x1 sigmoid batch
import tensorflow as tf


def bce(y_true, y_pred):
    p = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
    return -tf.reduce_mean(y_true * tf.log(p) + (1.0 - y_true) * tf.log(1.0 - p))
