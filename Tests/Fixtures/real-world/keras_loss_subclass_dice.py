# A keras.losses.Loss subclass with its hyper-parameter in the constructor, computed with keras.ops.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: SoftDiceLoss() value 0.8332 on a 2x16x16x1 sigmoid batch, grad norm 0.04024, graph mode ok; perfect hard prediction: 0 (grad norm 0.4351); confidently wrong hard prediction: 0.9961 (grad norm 0.02605); empty mask predicted exactly empty: 0 (grad norm 11.31)
import keras
from keras import ops


class SoftDiceLoss(keras.losses.Loss):
    def __init__(self, smooth=1.0, name="soft_dice"):
        super().__init__(name=name)
        self.smooth = smooth

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, y_pred.dtype)
        inter = ops.sum(y_true * y_pred, axis=(1, 2, 3))
        total = ops.sum(y_true, axis=(1, 2, 3)) + ops.sum(y_pred, axis=(1, 2, 3))
        return 1.0 - (2.0 * inter + self.smooth) / (total + self.smooth)
