# The floor division of the StackExchange seed, in a per-image form.
# framework: keras
# expect: LD101 LD501
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 1 on a 2x16x16x1 sigmoid batch, grad None, graph mode ok; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 1 (grad None); empty mask predicted exactly empty: 0 (grad None)
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred):
    inter = K.sum(y_true * y_pred, axis=[1, 2, 3])
    total = K.sum(y_true + y_pred, axis=[1, 2, 3])
    return K.mean(1.0 - (2.0 * inter + 1.0) // (total + 1.0))
