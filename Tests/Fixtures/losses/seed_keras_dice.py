# The seed: datascience.stackexchange.com question 80180, as the user wrote it.
# expect: LD101 LD105 LD405 LD601 LD603
from keras import backend as K

def dice_coef(y_true, y_pred):
    y_true_f = K.flatten(float(y_true))
    y_pred_f = K.flatten(float(y_pred))
    intersection = K.sum(y_true_f * y_pred_f)
    return (2 * intersection + 1) // (K.sum(y_true_f) + K.sum(y_pred_f) + 1)

def dice_coef_loss(y_true, y_pred):
    return 1-dice_coef(y_true, y_pred)
