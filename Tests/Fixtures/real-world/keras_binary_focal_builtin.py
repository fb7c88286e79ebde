# Keras' built-in BinaryFocalCrossentropy with class balancing on a sigmoid output.
# framework: keras
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: focal_loss value 0.4772 on a 2x16x16x1 sigmoid batch, grad norm 0.9432, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 11.26 (grad norm 1.015); empty mask predicted exactly empty: 0 (grad norm 0)
import keras

focal = keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.25, gamma=2.0)


def focal_loss(y_true, y_pred):
    return focal(y_true, y_pred)
