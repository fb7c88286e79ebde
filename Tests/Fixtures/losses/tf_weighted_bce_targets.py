# TensorFlow 1 keyword `targets=` of weighted_cross_entropy_with_logits (renamed `labels=`).
# expect: LD601
import tensorflow as tf


def weighted_bce_loss(y_true, y_pred_logits):
    loss = tf.nn.weighted_cross_entropy_with_logits(targets=y_true, logits=y_pred_logits, pos_weight=3.0)
    return tf.reduce_mean(loss)
