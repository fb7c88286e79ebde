# Focal Tversky with gamma = 4/3 as the exponent, per image: (1 - TI)^(4/3) keeps a finite
# gradient at the optimum (the exponent is above 1).
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: focal_tversky_loss value 0.7061 on a 2x16x16x1 sigmoid batch, grad norm 0.06574, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 0.9846 (grad norm 0.04951); empty mask predicted exactly empty: 0 (grad norm 0)
import tensorflow as tf


def focal_tversky_loss(y_true, y_pred, alpha=0.3, beta=0.7, gamma=4.0 / 3.0, smooth=1.0):
    axes = [1, 2, 3]
    tp = tf.reduce_sum(y_true * y_pred, axis=axes)
    fp = tf.reduce_sum((1.0 - y_true) * y_pred, axis=axes)
    fn = tf.reduce_sum(y_true * (1.0 - y_pred), axis=axes)
    index = (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)
    return tf.reduce_mean(tf.pow(1.0 - index, gamma))
