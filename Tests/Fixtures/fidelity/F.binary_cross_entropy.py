import torch
import torch.nn.functional as F


def loss(pred, target):
    return F.binary_cross_entropy(pred, target)
