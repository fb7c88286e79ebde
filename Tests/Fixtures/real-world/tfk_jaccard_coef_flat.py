# Jaccard (IoU) coefficient on flattened masks with +1 smoothing, loss 1 - coefficient.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: jaccard_coef_loss value 0.9038 on a 2x16x16x1 sigmoid batch, grad norm 0.02572, graph mode ok; perfect hard prediction: 0 (grad norm 0.4919); confidently wrong hard prediction: 0.9981 (grad norm 0.01308); empty mask predicted exactly empty: 0 (grad norm 22.63)
from tensorflow.keras import backend as K


def jaccard_coef(y_true, y_pred):
    t = K.flatten(y_true)
    p = K.flatten(y_pred)
    inter = K.sum(t * p)
    return (inter + 1.0) / (K.sum(t) + K.sum(p) - inter + 1.0)


def jaccard_coef_loss(y_true, y_pred):
    return 1.0 - jaccard_coef(y_true, y_pred)
