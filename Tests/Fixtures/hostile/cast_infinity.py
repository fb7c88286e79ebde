# Hand review: np.int32(float("inf")) converted infinity to Int and trapped.
# outcome: could-not-analyse
# finding: LD603 OverflowError: cannot convert inf to int32
import numpy as np


def loss(y_true, y_pred):
    k = np.int32(float("inf"))
    return np.mean(np.square(y_true - y_pred)) * k
