# The model outputs logits and the loss applies the sigmoid itself before Keras BCE: in float32
# sigmoid saturates to exactly 0 or 1, and the clipped log loses the gradient (use from_logits).
# framework: keras
# input: logits
# expect: LD203
# verified: tensorflow 2.21.0 / keras 3.15.1: bce_on_logits value 1.025 on a 2x16x16x1 logits batch, grad norm 0.02545, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 15.34 (grad norm 0); empty mask predicted exactly empty: 0 (grad norm 0)
from tensorflow.keras import backend as K


def bce_on_logits(y_true, y_pred):
    return K.mean(K.binary_crossentropy(y_true, K.sigmoid(y_pred)))
