# Keras 2 backend maths under Keras 3: `from keras import backend as K` has no sum/mean/log anymore.
# framework: keras
# expect: LD601
# verified: tensorflow 2.21.0 / keras 3.15.1: weighted_bce raises AttributeError: module 'keras.backend' has no attribute 'clip' on a 2x16x16x1 sigmoid batch
import keras.backend as K


def weighted_bce(y_true, y_pred, pos_weight=3.0):
    p = K.clip(y_pred, K.epsilon(), 1.0 - K.epsilon())
    loss = -(pos_weight * y_true * K.log(p) + (1.0 - y_true) * K.log(1.0 - p))
    return K.mean(loss)
