# Thresholding the prediction with a cast of a comparison: no gradient reaches the model.
# expect: LD102 LD105 LD405
import tensorflow as tf


def iou_loss(y_true, y_pred):
    y_bin = tf.cast(y_pred > 0.5, tf.float32)
    intersection = tf.reduce_sum(y_true * y_bin)
    union = tf.reduce_sum(y_true) + tf.reduce_sum(y_bin) - intersection
    return 1.0 - (intersection + 1.0) / (union + 1.0)
