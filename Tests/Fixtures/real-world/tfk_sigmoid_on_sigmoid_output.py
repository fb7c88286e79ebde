# The model ends in a sigmoid and the loss applies K.sigmoid again before the Dice.
# framework: keras
# input: probs
# expect: LD305
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss value 0.8439 on a 2x16x16x1 sigmoid batch, grad norm 0.007604, graph mode ok; perfect hard prediction: 0.7947 (grad norm 0.007877); confidently wrong hard prediction: 0.8887 (grad norm 0.007478); empty mask predicted exactly empty: 0.9922 (grad norm 0.00017)
# known-issue: today LossDoctor misses LD305 (LD106 info 10:5 the gradient on confidently wrong predictions is 198.2 times smaller than on mildly wrong ones, as for e)
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred, smooth=1.0):
    p = K.sigmoid(y_pred)
    inter = K.sum(y_true * p, axis=[1, 2, 3])
    card = K.sum(y_true + p, axis=[1, 2, 3])
    return K.mean(1.0 - (2.0 * inter + smooth) / (card + smooth))
