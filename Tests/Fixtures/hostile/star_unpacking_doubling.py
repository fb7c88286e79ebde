# Hand review: [*a, *a] (and f(*a, *a)) in a loop doubled a list 40 times: the unpacked items were not charged.
# outcome: could-not-analyse
# finding: LD903 one evaluation holds
from keras import backend as K


def loss(y_true, y_pred):
    a = [1]
    for i in range(40):
        a = [*a, *a]
    return K.mean(K.square(y_true - y_pred))
