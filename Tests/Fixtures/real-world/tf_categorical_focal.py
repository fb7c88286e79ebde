# Categorical focal loss on softmax probabilities, clipped, summed over classes, averaged over pixels.
# framework: tf
# target: one-hot
# classes: 3
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: categorical_focal_loss value 0.4439 on a 2x16x16x3 softmax batch, one-hot target, grad norm 6.261, graph mode ok; perfect hard prediction: 4.235e-22 (grad norm 0); confidently wrong hard prediction: 4.03 (grad norm 0); empty mask predicted exactly empty: 4.235e-22 (grad norm 0)
import tensorflow as tf


def categorical_focal_loss(y_true, y_pred, alpha=0.25, gamma=2.0):
    eps = tf.keras.backend.epsilon()
    p = tf.clip_by_value(y_pred, eps, 1.0 - eps)
    ce = -y_true * tf.math.log(p)
    loss = alpha * tf.pow(1.0 - p, gamma) * ce
    return tf.reduce_mean(tf.reduce_sum(loss, axis=-1))
