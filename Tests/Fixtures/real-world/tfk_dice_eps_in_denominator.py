# Epsilon only in the denominator, per image: a correct empty prediction costs the maximum, 1.
# framework: keras
# expect: LD303
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8389 on a 2x16x16x1 sigmoid batch, grad norm 0.0405, graph mode ok; perfect hard prediction: 0 (grad norm 0.4581); confidently wrong hard prediction: 1 (grad norm 0.0262); empty mask predicted exactly empty: 1 (grad norm 0)
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred):
    inter = K.sum(y_true * y_pred, axis=[1, 2, 3])
    denom = K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3])
    return K.mean(1.0 - 2.0 * inter / (denom + K.epsilon()))
