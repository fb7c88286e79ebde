# A loss built from a helper in a sibling module of the same package.
# expect: clean
import torch

from .helpers import soft_dice


def bce_dice_loss(logits, target):
    probs = torch.sigmoid(logits)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, target)
    return bce + 1.0 - soft_dice(probs, target)
