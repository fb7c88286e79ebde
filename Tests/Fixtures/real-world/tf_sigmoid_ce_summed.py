# Sigmoid cross-entropy summed over pixels and batch: the scale grows with image and batch size.
# framework: tf
# input: logits
# expect: LD401 LD402
# verified: tensorflow 2.21.0 / keras 3.15.1: bce_logits_sum value 524.6 on a 2x16x16x1 logits batch, grad norm 13.03, graph mode ok; perfect hard prediction: 1.055e-06 (grad norm 4.664e-08); confidently wrong hard prediction: 1.024e+04 (grad norm 22.63); empty mask predicted exactly empty: 1.055e-06 (grad norm 4.664e-08)
import tensorflow as tf


def bce_logits_sum(y_true, y_pred):
    return tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred))
