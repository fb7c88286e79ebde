# keras-contrib style Jaccard distance: sums over axis=-1, which is the single mask channel,
# so the "IoU" is computed per pixel; the result is then scaled by smooth=100.
# framework: keras
# expect: LD307
# verified: tensorflow 2.21.0 / keras 3.15.1: jaccard_distance value 0.4787 (shape (2, 16, 16), mean) on a 2x16x16x1 sigmoid batch, grad norm 0.04377, graph mode ok; perfect hard prediction: 0 (shape (2, 16, 16), mean) (grad norm 0.01297); confidently wrong hard prediction: 0.9901 (shape (2, 16, 16), mean) (grad norm 0.04138); empty mask predicted exactly empty: 0 (shape (2, 16, 16), mean) (grad norm 0)
from tensorflow.keras import backend as K


def jaccard_distance(y_true, y_pred, smooth=100.0):
    inter = K.sum(K.abs(y_true * y_pred), axis=-1)
    total = K.sum(K.abs(y_true) + K.abs(y_pred), axis=-1)
    jac = (inter + smooth) / (total - inter + smooth)
    return (1.0 - jac) * smooth
