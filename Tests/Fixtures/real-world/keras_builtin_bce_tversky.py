# Keras' own losses composed: BinaryCrossentropy plus the built-in Tversky (alpha 0.3, beta 0.7).
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: bce_tversky value 1.892 on a 2x16x16x1 sigmoid batch, grad norm 1.221, graph mode ok; perfect hard prediction: 1.192e-07 (grad norm 0.3391); confidently wrong hard prediction: 16.96 (grad norm 0.01971); empty mask predicted exactly empty: 1 (grad norm 0)
import keras

bce = keras.losses.BinaryCrossentropy()
tversky = keras.losses.Tversky(alpha=0.3, beta=0.7)


def bce_tversky(y_true, y_pred):
    return bce(y_true, y_pred) + tversky(y_true, y_pred)
