# A two-channel softmax (background, foreground) with one-hot masks: Dice per image and class.
# framework: tf
# target: one-hot
# classes: 2
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.5958 on a 2x16x16x2 softmax batch, one-hot target, grad norm 0.02867, graph mode ok; perfect hard prediction: 0 (grad norm 0.2179); confidently wrong hard prediction: 0.9961 (grad norm 0.04394); empty mask predicted exactly empty: 0 (grad norm 5.657)
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1.0):
    inter = tf.reduce_sum(y_true * y_pred, axis=(1, 2))
    sizes = tf.reduce_sum(y_true + y_pred, axis=(1, 2))
    return 1.0 - tf.reduce_mean((2.0 * inter + smooth) / (sizes + smooth))
