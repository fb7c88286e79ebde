# Many Keras U-Nets minimise -Dice: negative values, but it still prefers better masks.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: dice_coef_loss value -0.1728 on a 2x16x16x1 sigmoid batch, grad norm 0.04294, graph mode ok; perfect hard prediction: -1 (grad norm 0.2487); confidently wrong hard prediction: -0.001949 (grad norm 0.02613); empty mask predicted exactly empty: -1 (grad norm 22.63)
import tensorflow.keras.backend as K


def dice_coef(y_true, y_pred, bias=1.0):
    yt = K.flatten(y_true)
    yp = K.flatten(y_pred)
    return (2.0 * K.sum(yt * yp) + bias) / (K.sum(yt) + K.sum(yp) + bias)


def dice_coef_loss(y_true, y_pred):
    return -dice_coef(y_true, y_pred)
