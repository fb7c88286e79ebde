# Generalized Dice (Sudre et al.) over one-hot channels-last masks: class weights 1/(volume^2 + 1).
# framework: tf
# target: one-hot
# classes: 3
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: generalized_dice_loss value 0.8567 on a 2x16x16x3 softmax batch, one-hot target, grad norm 0.04044, graph mode ok; perfect hard prediction: -1.073e-05 (grad norm 0.1669); confidently wrong hard prediction: 1 (grad norm 0.03344); empty mask predicted exactly empty: -0.0002559 (grad norm 8192)
import tensorflow as tf


def generalized_dice_loss(y_true, y_pred):
    axes = [0, 1, 2]
    volume = tf.reduce_sum(y_true, axis=axes)
    weights = 1.0 / (tf.square(volume) + 1.0)
    numerator = tf.reduce_sum(weights * tf.reduce_sum(y_true * y_pred, axis=axes))
    denominator = tf.reduce_sum(weights * tf.reduce_sum(y_true + y_pred, axis=axes))
    return 1.0 - 2.0 * (numerator + 1e-6) / (denominator + 1e-6)
