# The prediction is scaled to 0..255 and cast to uint8 "like the masks": the gradient is cut.
# framework: tf
# expect: LD602 LD501
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8271 on a 2x16x16x1 sigmoid batch, grad None, graph mode ok; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 0.9981 (grad None); empty mask predicted exactly empty: 0 (grad None)
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1.0):
    p = tf.cast(tf.cast(y_pred * 255.0, tf.uint8), tf.float32) / 255.0
    inter = tf.reduce_sum(y_true * p)
    return 1.0 - (2.0 * inter + smooth) / (tf.reduce_sum(y_true) + tf.reduce_sum(p) + smooth)
