# A Python `if` on a tensor to special-case empty masks: fine eagerly, but inside model.fit
# (graph mode) TensorFlow refuses to use a symbolic tensor as a Python bool.
# framework: tf
# expect: LD604
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8272 on a 2x16x16x1 sigmoid batch, grad norm 0.04294, graph mode (tf.function without autograph, as model.fit calls a loss) raises OperatorNotAllowedInGraphError; perfect hard prediction: 0 (grad norm 0.2487); confidently wrong hard prediction: 0.9981 (grad norm 0.02613); empty mask predicted exactly empty: 0 (grad norm 0.04419)
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1.0):
    if tf.reduce_sum(y_true) == 0:
        return tf.reduce_mean(y_pred)
    inter = tf.reduce_sum(y_true * y_pred)
    return 1.0 - (2.0 * inter + smooth) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + smooth)
