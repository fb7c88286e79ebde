# Cell-segmentation style: softmax CE on logits with per-class weights picked by the one-hot label.
# framework: tf
# input: logits
# target: one-hot
# classes: 3
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: weighted_crossentropy value 3.711 on a 2x16x16x3 logits batch, one-hot target, grad norm 0.1341, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 72.34 (grad norm 0.1966); empty mask predicted exactly empty: 0 (grad norm 0)
# known-issue: today LossDoctor also errors LD103 (`*` makes the gradient exactly zero on all 30 soft probes: the loss cannot train), LD501 (validation loss stays at 0 for all 30 steps of the simulated run and validation ); also warns LD105 (the loss takes only 1 distinct values along the 65-step sweep perfect->inverted ), LD303 (on an empty target, predicting all foreground costs 0, no more than the empty pr), LD307 (`reduce_sum` over axis 3 of shape (4, 64, 64, 1) reduces nothing: the loss is co)
import tensorflow as tf


def weighted_crossentropy(y_true, y_pred):
    class_weights = tf.constant([1.0, 1.0, 10.0])
    per_pixel = tf.nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    weights = tf.reduce_sum(class_weights * y_true, axis=-1)
    return tf.reduce_mean(weights * per_pixel)
