# Hand review: a helper defined inside the loss made a reference cycle (scope -> function -> scope), so every
# evaluation's locals, a 3M-element tensor included, were never freed: 4.7 GB for this file.
# outcome: analysed
import tensorflow as tf


class Node:
    def __init__(self, value):
        self.value = value
        self.me = self


def loss(y_true, y_pred):
    big = tf.ones((1024, 1024, 3)) * tf.reduce_mean(y_pred)

    def helper(x):
        return x

    loop = [big]
    loop.append(loop)
    node = Node(big)
    return tf.reduce_mean(helper(big)) * 0 + tf.reduce_mean(tf.square(y_true - y_pred))
