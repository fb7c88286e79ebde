# .numpy() inside the loss: works eagerly without a gradient, and fails inside model.fit (symbolic tensor).
# framework: tf
# expect: LD107 LD501
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8272 on a 2x16x16x1 sigmoid batch, grad None, graph mode (tf.function without autograph, as model.fit calls a loss) raises AttributeError; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 0.9981 (grad None); empty mask predicted exactly empty: 0 (grad None)
import numpy as np
import tensorflow as tf


def dice_loss(y_true, y_pred, smooth=1.0):
    p = y_pred.numpy()
    t = y_true.numpy()
    inter = np.sum(p * t)
    return tf.constant(1.0 - (2.0 * inter + smooth) / (np.sum(p) + np.sum(t) + smooth))
