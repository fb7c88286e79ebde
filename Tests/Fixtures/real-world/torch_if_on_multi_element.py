# `if target:` on a whole mask tensor: PyTorch raises "Boolean value of Tensor with more than one value
# is ambiguous".
# framework: torch
# expect: LD604
# verified: torch 2.15.0: dice_loss raises RuntimeError: Boolean value of Tensor with more than one value is ambiguous on a 2x1x16x16 sigmoid batch
import torch


def dice_loss(pred, target, smooth=1.0):
    if not target.any(dim=(1, 2, 3)):
        return pred.mean()
    inter = (pred * target).sum()
    return 1 - (2 * inter + smooth) / (pred.sum() + target.sum() + smooth)
