# Categorical CE written with K.log and no clip: a class probability of exactly 0 gives -inf (0 * -inf = nan).
# framework: keras
# target: one-hot
# classes: 3
# expect: LD201 LD202
# verified: tensorflow 2.21.0 / keras 3.15.1: categorical_ce value 2.118 on a 2x16x16x3 softmax batch, one-hot target, grad norm 24.94, graph mode ok; perfect hard prediction: nan (grad NOT finite); confidently wrong hard prediction: nan (grad NOT finite); empty mask predicted exactly empty: nan (grad NOT finite)
from tensorflow.keras import backend as K


def categorical_ce(y_true, y_pred):
    return -K.mean(K.sum(y_true * K.log(y_pred), axis=-1))
