# Written for Keras 2 but run with Keras 3: `from keras import backend as K` no longer has
# flatten or sum (AttributeError at the first call).
# framework: keras
# expect: LD601
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_coef_loss raises AttributeError: module 'keras.backend' has no attribute 'flatten' on a 2x16x16x1 sigmoid batch
from keras import backend as K


def dice_coef(y_true, y_pred, smooth=1.0):
    t = K.flatten(y_true)
    p = K.flatten(y_pred)
    return (2.0 * K.sum(t * p) + smooth) / (K.sum(t) + K.sum(p) + smooth)


def dice_coef_loss(y_true, y_pred):
    return 1.0 - dice_coef(y_true, y_pred)
