# The metric compiled as the loss (`compile(loss=dice_score)`): minimising the Dice coefficient makes
# the masks worse.
# framework: keras
# expect: LD301
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_score value 0.1668 on a 2x16x16x1 sigmoid batch, grad norm 0.04024, graph mode ok; perfect hard prediction: 1 (grad norm 0.4351); confidently wrong hard prediction: 0.003891 (grad norm 0.02605); empty mask predicted exactly empty: 1 (grad norm 11.31)
from tensorflow.keras import backend as K


def dice_score(y_true, y_pred, smooth=1.0):
    inter = K.sum(y_true * y_pred, axis=[1, 2, 3])
    union = K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3])
    return K.mean((2.0 * inter + smooth) / (union + smooth))


def build(model):
    model.compile(optimizer="adam", loss=dice_score, metrics=["accuracy"])
    return model
