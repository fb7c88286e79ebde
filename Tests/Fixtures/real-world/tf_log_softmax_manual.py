# tf.math.log of tf.nn.softmax(logits) for a CE: the softmax underflows to 0 for confident logits.
# framework: tf
# input: logits
# target: one-hot
# classes: 3
# expect: LD203
# verified: tensorflow 2.21.0 / keras 3.15.1: ce_from_logits value 2.118 on a 2x16x16x3 logits batch, one-hot target, grad norm 0.04461, graph mode ok; perfect hard prediction: -0 (grad norm 0); confidently wrong hard prediction: 40 (grad norm 0.0625); empty mask predicted exactly empty: -0 (grad norm 0)
import tensorflow as tf


def ce_from_logits(y_true, y_pred):
    probs = tf.nn.softmax(y_pred, axis=-1)
    return -tf.reduce_mean(tf.reduce_sum(y_true * tf.math.log(probs), axis=-1))
