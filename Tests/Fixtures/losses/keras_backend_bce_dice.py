# BCE + soft Dice with the TensorFlow 2 Keras backend.
# expect: clean
import tensorflow.keras.backend as K


def dice_coef(y_true, y_pred, smooth=1.0):
    intersection = K.sum(y_true * y_pred, axis=[1, 2, 3])
    denominator = K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3])
    return K.mean((2.0 * intersection + smooth) / (denominator + smooth))


def bce_dice_loss(y_true, y_pred):
    bce = K.mean(K.binary_crossentropy(y_true, y_pred))
    return bce + 1.0 - dice_coef(y_true, y_pred)
