# tf.nn.softmax over the last axis of a one-channel output: the "probability" is the constant 1.
# framework: tf
# input: logits
# target: binary
# expect: LD311 LD501
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8397 on a 2x16x16x1 logits batch, grad norm 0, graph mode ok; perfect hard prediction: 0.8397 (grad norm 0); confidently wrong hard prediction: 0.8397 (grad norm 0); empty mask predicted exactly empty: 0.9961 (grad norm 0)
# known-issue: today LossDoctor misses LD311 LD501; also errors LD312 LD504 (LD312 error 11:5 the 3 classes are pooled into one overlap: predicting all background on the imbalanced mask (1.56 % for)
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1.0):
    p = tf.nn.softmax(y_pred, axis=-1)
    inter = tf.reduce_sum(y_true * p, axis=[1, 2, 3])
    card = tf.reduce_sum(y_true + p, axis=[1, 2, 3])
    return tf.reduce_mean(1.0 - (2.0 * inter + smooth) / (card + smooth))
