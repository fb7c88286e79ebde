# Log-cosh Dice (Jadon's survey): log((e^x + e^-x) / 2) of a per-image soft Dice loss.
# framework: tf
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: log_cosh_dice_loss value 0.3151 on a 2x16x16x1 sigmoid batch, grad norm 0.02665, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 0.4308 (grad norm 0.0198); empty mask predicted exactly empty: 0 (grad norm 0)
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1.0):
    inter = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
    total = tf.reduce_sum(y_true + y_pred, axis=[1, 2, 3])
    return 1.0 - (2.0 * inter + smooth) / (total + smooth)


def log_cosh_dice_loss(y_true, y_pred):
    x = dice_loss(y_true, y_pred)
    return tf.reduce_mean(tf.math.log((tf.exp(x) + tf.exp(-x)) / 2.0))
