# BCE plus a Dice of the rounded prediction: the BCE trains, the Dice term is dead weight.
# framework: torch
# input: logits
# expect: LD104
# verified: torch 2.15.0: bce_hard_dice value 1.842 on a 2x1x16x16 logits batch, grad norm 0.02545, backward ok; perfect hard prediction: 0 (grad norm 8.7e-11); confidently wrong hard prediction: 21 (grad norm 0.04419); empty mask predicted exactly empty: 0 (grad norm 9.109e-11)
import torch
import torch.nn.functional as F


def bce_hard_dice(logits, target, smooth=1.0):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    hard = torch.sigmoid(logits).round()
    dice = (2.0 * (hard * target).sum() + smooth) / (hard.sum() + target.sum() + smooth)
    return bce + 1.0 - dice
