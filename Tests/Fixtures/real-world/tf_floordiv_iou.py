# tf.math.floordiv in an IoU: TensorFlow registers no gradient for FloorDiv.
# framework: tf
# expect: LD101 LD501
# verified: tensorflow 2.21.0 / keras 3.15.1: iou_loss value 1 on a 2x16x16x1 sigmoid batch, grad None, graph mode ok; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 1 (grad None); empty mask predicted exactly empty: 0 (grad None)
import tensorflow as tf


def iou_loss(y_true, y_pred, smooth=1.0):
    inter = tf.reduce_sum(y_true * y_pred)
    union = tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) - inter
    return 1.0 - tf.math.floordiv(inter + smooth, union + smooth)
