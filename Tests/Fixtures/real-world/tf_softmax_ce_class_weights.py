# Cell-segmentation style: softmax CE on logits with per-class weights picked by the one-hot label.
# framework: tf
# input: logits
# target: one-hot
# classes: 3
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: weighted_crossentropy value 3.711 on a 2x16x16x3 logits batch, one-hot target, grad norm 0.1341, graph mode ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 72.34 (grad norm 0.1966); empty mask predicted exactly empty: 0 (grad norm 0)
import tensorflow as tf


def weighted_crossentropy(y_true, y_pred):
    class_weights = tf.constant([1.0, 1.0, 10.0])
    per_pixel = tf.nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    weights = tf.reduce_sum(class_weights * y_true, axis=-1)
    return tf.reduce_mean(weights * per_pixel)
