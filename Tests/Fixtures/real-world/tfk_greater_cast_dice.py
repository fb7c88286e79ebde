# K.greater then K.cast to float: the thresholded mask carries no gradient.
# framework: keras
# expect: LD102 LD501
# verified: tensorflow 2.21.0 / keras 3.15.1: binary_dice_loss value 0.8179 on a 2x16x16x1 sigmoid batch, grad None, graph mode ok; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 0.9981 (grad None); empty mask predicted exactly empty: 0 (grad None)
from tensorflow.keras import backend as K


def binary_dice_loss(y_true, y_pred, smooth=1.0):
    hard = K.cast(K.greater(y_pred, 0.5), "float32")
    inter = K.sum(y_true * hard)
    return 1.0 - (2.0 * inter + smooth) / (K.sum(y_true) + K.sum(hard) + smooth)
