import torch
import torch.nn.functional as F


def bce_logits_loss(pred, target):
    """Binary cross-entropy on logits, numerically stable."""
    return F.binary_cross_entropy_with_logits(pred, target)
