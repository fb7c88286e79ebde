# Soft Dice with tf.* reductions over the spatial axes.
# expect: clean
import tensorflow as tf


def soft_dice_loss(y_true, y_pred, smooth=1e-6):
    y_true = tf.cast(y_true, tf.float32)
    intersection = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
    total = tf.reduce_sum(y_true, axis=[1, 2, 3]) + tf.reduce_sum(y_pred, axis=[1, 2, 3])
    return tf.reduce_mean(1.0 - (2.0 * intersection + smooth) / (total + smooth))
