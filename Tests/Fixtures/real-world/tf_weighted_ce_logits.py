# A model without a final sigmoid: weighted BCE on logits with pos_weight, the stable TF op.
# framework: tf
# input: logits
# expect: clean
# verified: tensorflow 2.21.0 / keras 3.15.1: make_weighted_bce() value 1.195 on a 2x16x16x1 logits batch, grad norm 0.03264, graph mode ok; perfect hard prediction: 5.435e-10 (grad norm 1.189e-10); confidently wrong hard prediction: 23.52 (grad norm 0.05768); empty mask predicted exactly empty: 0 (grad norm 9.109e-11)
import tensorflow as tf


def make_weighted_bce(pos_weight=3.0):
    def loss(y_true, y_pred):
        per_pixel = tf.nn.weighted_cross_entropy_with_logits(labels=y_true, logits=y_pred, pos_weight=pos_weight)
        return tf.reduce_mean(per_pixel)
    return loss
