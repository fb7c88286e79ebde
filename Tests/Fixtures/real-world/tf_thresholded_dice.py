# A validation metric reused as the loss: the prediction is thresholded at 0.5 and cast to float.
# framework: tf
# expect: LD102 LD501
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8207 on a 2x16x16x1 sigmoid batch, grad None, graph mode ok; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 1 (grad None); empty mask predicted exactly empty: 0 (grad None)
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1e-6):
    y_hard = tf.cast(y_pred > 0.5, tf.float32)
    inter = tf.reduce_sum(y_true * y_hard)
    return 1.0 - (2.0 * inter + smooth) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_hard) + smooth)
