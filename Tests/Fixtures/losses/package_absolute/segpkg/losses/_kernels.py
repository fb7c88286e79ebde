import torch


def overlap_score(probs, target, smooth=1.0, dims=None):
    shared = torch.sum(probs * target, dim=dims)
    total = torch.sum(probs + target, dim=dims)
    return (2.0 * shared + smooth) / (total + smooth)
