# The file imports tensorflow but uses K, never imported: NameError at the first call.
# framework: tf
# expect: LD603
# verified: tensorflow 2.21.0 / keras 3.15.1: generalized_dice_loss raises NameError: name 'K' is not defined on a 2x16x16x1 sigmoid batch
# exit: 2
import tensorflow as tf


def generalized_dice_loss(y_true, y_pred):
    w = K.sum(y_true, axis=(0, 1, 2))
    w = 1.0 / (w ** 2 + 1e-6)
    num = K.sum(w * K.sum(y_true * y_pred, axis=(0, 1, 2)))
    den = K.sum(w * K.sum(y_true + y_pred, axis=(0, 1, 2)))
    return 1.0 - 2.0 * num / den
