# A plain Python class (not a Keras Loss) with required alpha and gamma and a __call__, passed to compile().
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: FocalLoss(alpha=0.5, gamma=2.0) value 0.3378 on a 2x16x16x1 sigmoid batch, grad norm 0.6363, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 7.671 (grad norm 0); empty mask predicted exactly empty: 0 (grad norm 0)
import tensorflow.keras.backend as K


class FocalLoss:
    def __init__(self, alpha, gamma):
        self.alpha = alpha
        self.gamma = gamma

    def __call__(self, y_true, y_pred, sample_weight=None):
        t = K.flatten(y_true)
        p = K.flatten(y_pred)
        bce = K.binary_crossentropy(t, p)
        return K.mean(self.alpha * K.pow(1.0 - K.exp(-bce), self.gamma) * bce)
