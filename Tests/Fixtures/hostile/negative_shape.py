# Hand review: a negative extent reached [Float](repeating:count:) and trapped.
# outcome: could-not-analyse
# finding: LD603 negative dimensions are not allowed: (-1,)
import torch


def loss(input, target):
    pad = torch.ones(-1)
    return ((input - target) ** 2).mean() + pad.sum()
