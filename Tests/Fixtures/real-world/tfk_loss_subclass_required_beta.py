# A tf.keras Loss subclass whose constructor requires beta (no default): the Tversky weights.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: TverskyLoss(beta=0.5) value 0.8244 on a 2x16x16x1 sigmoid batch, grad norm 0.0428, graph mode ok; perfect hard prediction: 0 (grad norm 0.246); confidently wrong hard prediction: 0.9961 (grad norm 0.02605); empty mask predicted exactly empty: 0 (grad norm 11.31)
import tensorflow as tf


class TverskyLoss(tf.keras.losses.Loss):
    def __init__(self, beta, smooth=1.0):
        super().__init__()
        self.beta = beta
        self.smooth = smooth

    def call(self, y_true, y_pred):
        y_true = tf.cast(y_true, tf.float32)
        tp = tf.reduce_sum(y_true * y_pred)
        fp = tf.reduce_sum((1.0 - y_true) * y_pred)
        fn = tf.reduce_sum(y_true * (1.0 - y_pred))
        return 1.0 - (tp + self.smooth) / (tp + (1.0 - self.beta) * fp + self.beta * fn + self.smooth)
