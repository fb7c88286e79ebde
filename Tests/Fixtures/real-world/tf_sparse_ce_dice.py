# Sparse categorical CE plus a foreground Dice for integer label maps (N, H, W): the labels are
# one-hot encoded inside the loss with tf.one_hot.
# framework: tf
# target: index
# classes: 3
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: ce_dice_loss value 2.975 on a 2x16x16x3 softmax batch, index target, grad norm 24.94, graph mode ok; perfect hard prediction: 2.384e-07 (grad norm 0.2575); confidently wrong hard prediction: 17.1 (grad norm 0.08708); empty mask predicted exactly empty: 2.384e-07 (grad norm 8)
import tensorflow as tf


def ce_dice_loss(y_true, y_pred, smooth=1.0):
    labels = tf.cast(y_true, tf.int32)
    ce = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(labels, y_pred))
    onehot = tf.one_hot(labels, depth=3)
    inter = tf.reduce_sum(onehot[..., 1:] * y_pred[..., 1:], axis=[1, 2])
    sizes = tf.reduce_sum(onehot[..., 1:], axis=[1, 2]) + tf.reduce_sum(y_pred[..., 1:], axis=[1, 2])
    dice = tf.reduce_mean((2.0 * inter + smooth) / (sizes + smooth))
    return ce + 1.0 - dice
