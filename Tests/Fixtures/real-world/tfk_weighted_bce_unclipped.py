# Weighted BCE written by hand with K.log and no clipping: log(0) on a saturated prediction.
# framework: keras
# expect: LD201 LD202
# verified: tensorflow 2.21.0 / keras 3.15.1: weighted_bce value 0.1705 on a 2x16x16x1 sigmoid batch, grad norm 0.2066, graph mode ok; perfect hard prediction: nan (grad NOT finite); confidently wrong hard prediction: inf (grad NOT finite); empty mask predicted exactly empty: nan (grad NOT finite)
from tensorflow.keras import backend as K


def weighted_bce(y_true, y_pred, w_pos=0.9, w_neg=0.1):
    loss = -(w_pos * y_true * K.log(y_pred) + w_neg * (1.0 - y_true) * K.log(1.0 - y_pred))
    return K.mean(loss)
