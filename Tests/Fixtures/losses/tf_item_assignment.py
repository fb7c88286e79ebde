# Writing into a TensorFlow tensor as one would into a PyTorch one: TensorFlow tensors are immutable,
# so the loss raises TypeError at that line and never trains.
# expect: LD603
# exit: 2
# verified: tensorflow 2.21.0 CPU, eager: y_pred[:, 0] = 0.0 raises TypeError: 'tensorflow.python.framework.ops.EagerTensor'
#   object does not support item assignment
import tensorflow as tf


def masked_mse(y_true, y_pred):
    y_pred = y_pred * 1.0
    y_pred[:, 0] = 0.0
    return tf.reduce_mean(tf.square(y_true - y_pred))
