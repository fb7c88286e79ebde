# Integer label maps with a logits head: Keras SparseCategoricalCrossentropy(from_logits=True).
# framework: keras
# input: logits
# target: index
# classes: 4
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: segmentation_ce value 2.388 on a 2x16x16x4 logits batch, index target, grad norm 0.04528, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 40 (grad norm 0.0625); empty mask predicted exactly empty: 0 (grad norm 0)
# known-issue: today LossDoctor also errors LD103 (`log_softmax` makes the gradient exactly zero on all 30 soft probes: the loss ca), LD501 (validation loss stays at 0 for all 30 steps of the simulated run and validation ); also warns LD105 (the loss takes only 1 distinct values along the 65-step sweep perfect->inverted ), LD303 (on an empty target, predicting all foreground costs 0, no more than the empty pr), LD307 (`reduce_sum` over axis 3 of shape (4, 64, 64, 1) reduces nothing: the loss is co)
import keras

scce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def segmentation_ce(y_true, y_pred):
    return scce(y_true, y_pred)
