# Hand review: the element count of (2**40, 2**40) overflowed Int and trapped; torch.eye(2**32) asked for 2**64 floats.
# outcome: could-not-analyse
# finding: LD903 a tensor of more than 9223372036854775807 elements exceeds the limit
import torch


def loss(input, target):
    z = torch.zeros((2 ** 40, 2 ** 40))
    return ((input - target) ** 2).mean() + z.sum()


def eye_loss(input, target):
    e = torch.eye(2 ** 32)
    return ((input - target) ** 2).mean() + e.sum()
