# Hand review: recursion through a lambda has no statement to count: calls count as steps.
# outcome: could-not-analyse
# finding: LD903 RecursionError: maximum recursion depth of 64 calls exceeded in <lambda>()
from keras import backend as K

f = lambda n: f(n + 1) + f(n + 2)


def loss(y_true, y_pred):
    return K.mean(K.square(y_true - y_pred)) * f(0)
