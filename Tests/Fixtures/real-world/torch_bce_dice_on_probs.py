# The network ends in a sigmoid: BCE on probabilities (PyTorch clamps the logs at -100) plus Dice.
# framework: torch
# expect: clean
# verified: torch 2.15.0: bce_dice value 1.858 on a 2x1x16x16 sigmoid batch, grad norm 1.222, backward ok; perfect hard prediction: 0 (grad norm 0.4351); confidently wrong hard prediction: 101 (grad norm 4.419e+10); empty mask predicted exactly empty: 0 (grad norm 11.31)
import torch
import torch.nn.functional as F


def bce_dice(pred, target, smooth=1.0):
    bce = F.binary_cross_entropy(pred, target)
    inter = (pred * target).sum((1, 2, 3))
    dice = (2 * inter + smooth) / (pred.sum((1, 2, 3)) + target.sum((1, 2, 3)) + smooth)
    return bce + (1 - dice).mean()
