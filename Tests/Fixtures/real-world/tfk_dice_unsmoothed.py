# No smoothing at all: an empty mask predicted empty is 0/0.
# framework: keras
# expect: LD201
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8389 on a 2x16x16x1 sigmoid batch, grad norm 0.0405, graph mode ok; perfect hard prediction: 0 (grad norm 0.4581); confidently wrong hard prediction: 1 (grad norm 0.0262); empty mask predicted exactly empty: nan (grad NOT finite)
import tensorflow as tf


def dice_loss(y_true, y_pred):
    inter = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
    denom = tf.reduce_sum(y_true, axis=[1, 2, 3]) + tf.reduce_sum(y_pred, axis=[1, 2, 3])
    return 1.0 - tf.reduce_mean(2.0 * inter / denom)
