# A 3-D U-Net Dice in channels-last volumes (N, D, H, W, 1), reduced over axes 1..4 per volume.
# framework: keras
# volume: 3d
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_loss_3d value 0.8375 on a 2x4x16x16x1 sigmoid batch, grad norm 0.02022, graph mode ok; perfect hard prediction: 0 (grad norm 0.2261); confidently wrong hard prediction: 0.999 (grad norm 0.01308); empty mask predicted exactly empty: 0 (grad norm 22.63)
from tensorflow.keras import backend as K


def dice_loss_3d(y_true, y_pred, smooth=1.0):
    axes = [1, 2, 3, 4]
    inter = K.sum(y_true * y_pred, axis=axes)
    card = K.sum(y_true, axis=axes) + K.sum(y_pred, axis=axes)
    return K.mean(1.0 - (2.0 * inter + smooth) / (card + smooth))
