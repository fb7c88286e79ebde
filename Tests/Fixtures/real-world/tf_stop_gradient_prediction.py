# tf.stop_gradient on the prediction (meant for the target): nothing reaches the model.
# framework: tf
# expect: LD107 LD501
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8332 on a 2x16x16x1 sigmoid batch, grad None, graph mode ok; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 0.9961 (grad None); empty mask predicted exactly empty: 0 (grad None)
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1.0):
    p = tf.stop_gradient(y_pred)
    inter = tf.reduce_sum(y_true * p, axis=[1, 2, 3])
    card = tf.reduce_sum(y_true + p, axis=[1, 2, 3])
    return tf.reduce_mean(1.0 - (2.0 * inter + smooth) / (card + smooth))
