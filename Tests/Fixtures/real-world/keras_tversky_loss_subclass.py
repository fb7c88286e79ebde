# Keras 3 Loss subclass: Tversky with alpha/beta from the constructor, keras.ops only.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: TverskyLoss() value 0.7682 on a 2x16x16x1 sigmoid batch, grad norm 0.05451, graph mode ok; perfect hard prediction: 0 (grad norm 0.271); confidently wrong hard prediction: 0.9884 (grad norm 0.03727); empty mask predicted exactly empty: 0 (grad norm 3.394)
import keras
from keras import ops


class TverskyLoss(keras.losses.Loss):
    def __init__(self, alpha=0.3, beta=0.7, smooth=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.beta = beta
        self.smooth = smooth

    def call(self, y_true, y_pred):
        tp = ops.sum(y_true * y_pred, axis=(1, 2, 3))
        fp = ops.sum((1.0 - y_true) * y_pred, axis=(1, 2, 3))
        fn = ops.sum(y_true * (1.0 - y_pred), axis=(1, 2, 3))
        return 1.0 - (tp + self.smooth) / (tp + self.alpha * fp + self.beta * fn + self.smooth)
