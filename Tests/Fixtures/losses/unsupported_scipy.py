# A third-party call LossDoctor does not model.
# expect: LD902
# not-analysed
import numpy as np
import scipy.special


def bce_loss(y_true, logits):
    p = scipy.special.expit(logits)
    return -np.mean(y_true * np.log(p + 1e-7) + (1 - y_true) * np.log(1 - p + 1e-7))
