# Hand review: round(), int() and math.floor() of inf and NaN trapped (Int(.infinity)).
# outcome: could-not-analyse
# finding: LD603 OverflowError: cannot convert float infinity to integer
import math
from keras import backend as K


def loss(y_true, y_pred):
    n = round(float("inf"))
    return K.mean(K.square(y_true - y_pred)) * n
