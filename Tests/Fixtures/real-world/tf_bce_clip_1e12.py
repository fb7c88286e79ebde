# Hand-written BCE clipped with tf.clip_by_value(p, 1e-12, 1 - 1e-12): in float32, 1 - 1e-12 rounds to
# exactly 1.0, so the upper clip does nothing and log(1 - p) is -inf where the prediction saturates at 1.
# framework: tf
# expect: LD201 LD202
# verified: tensorflow 2.21.0 / keras 3.15.1: clipped_bce value 1.017 on a 2x16x16x1 sigmoid batch, grad norm 1.204, graph mode ok; perfect hard prediction: nan (grad NOT finite); confidently wrong hard prediction: inf (grad NOT finite); empty mask predicted exactly empty: 0 (grad norm 0); float32(1 - 1e-12) == 1.0 is True, clip_by_value(1.0, 1e-12, 1 - 1e-12) = 1.0, log(1 - that) = -inf
import tensorflow as tf

TINY = 1e-12


def clipped_bce(y_true, y_pred):
    p = tf.clip_by_value(y_pred, TINY, 1.0 - TINY)
    per_pixel = y_true * tf.math.log(p) + (1.0 - y_true) * tf.math.log(1.0 - p)
    return -tf.reduce_mean(per_pixel)
