# A hand-written BCE with a sign error on the background term: it rewards predicting foreground everywhere.
# framework: tf
# expect: LD302
# verified: tensorflow 2.21.0 / keras 3.15.1: bce value -0.8545 on a 2x16x16x1 sigmoid batch, grad norm 1.216, graph mode ok; perfect hard prediction: -9.825e-08 (grad norm 0); confidently wrong hard prediction: -13.12 (grad norm 0); empty mask predicted exactly empty: -1.192e-07 (grad norm 0)
import tensorflow as tf


def bce(y_true, y_pred):
    eps = 1e-7
    p = tf.clip_by_value(y_pred, eps, 1.0 - eps)
    return -tf.reduce_mean(y_true * tf.math.log(p) - (1.0 - y_true) * tf.math.log(1.0 - p))
