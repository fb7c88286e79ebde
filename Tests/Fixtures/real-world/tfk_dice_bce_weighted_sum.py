# A configurable weighted sum of Keras BCE and a per-image Dice, built by a factory.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: make_loss() value 0.9289 on a 2x16x16x1 sigmoid batch, grad norm 0.6112, graph mode ok; perfect hard prediction: 5.96e-08 (grad norm 0.2175); confidently wrong hard prediction: 8.477 (grad norm 0.01303); empty mask predicted exactly empty: 5.96e-08 (grad norm 5.657)
import tensorflow as tf


def make_loss(bce_weight=0.5, smooth=1.0):
    bce = tf.keras.losses.BinaryCrossentropy()

    def loss(y_true, y_pred):
        inter = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
        card = tf.reduce_sum(y_true + y_pred, axis=[1, 2, 3])
        dice = tf.reduce_mean(1.0 - (2.0 * inter + smooth) / (card + smooth))
        return bce_weight * bce(y_true, y_pred) + (1.0 - bce_weight) * dice

    return loss
