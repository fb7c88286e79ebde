# Hand review: a loop keeping 1M-element tensors alive must end with the memory limit (each one fits alone).
# outcome: could-not-analyse
# finding: LD903 one evaluation holds
import tensorflow as tf


def loss(y_true, y_pred):
    kept = []
    for i in range(1000):
        kept.append(tf.ones((1024, 1024)) * y_pred[0, 0, 0, 0])
    return tf.reduce_mean(tf.square(y_true - y_pred)) + tf.reduce_sum(kept[0])
