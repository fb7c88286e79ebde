# Negated Jaccard as the loss (bone-fracture / yeast repositories): valid, only negative.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: jacard_loss value -0.09624 on a 2x16x16x1 sigmoid batch, grad norm 0.02572, graph mode ok; perfect hard prediction: -1 (grad norm 0.4919); confidently wrong hard prediction: -0.001949 (grad norm 0.01308); empty mask predicted exactly empty: -1 (grad norm 22.63)
import tensorflow.keras.backend as K


def jacard(y_true, y_pred):
    a = K.flatten(y_true)
    b = K.flatten(y_pred)
    inter = K.sum(a * b)
    return (inter + 1.0) / (K.sum(a) + K.sum(b) - inter + 1.0)


def jacard_loss(y_true, y_pred):
    return -jacard(y_true, y_pred)
