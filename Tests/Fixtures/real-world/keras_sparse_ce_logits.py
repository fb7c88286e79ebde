# Integer label maps with a logits head: Keras SparseCategoricalCrossentropy(from_logits=True).
# framework: keras
# input: logits
# target: index
# classes: 4
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: segmentation_ce value 2.388 on a 2x16x16x4 logits batch, index target, grad norm 0.04528, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 40 (grad norm 0.0625); empty mask predicted exactly empty: 0 (grad norm 0)
import keras

scce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def segmentation_ce(y_true, y_pred):
    return scce(y_true, y_pred)
