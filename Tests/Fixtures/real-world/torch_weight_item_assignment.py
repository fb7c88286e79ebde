# Pixel weights built by item assignment on a tensor (foreground pixels weighted 5), then weighted BCE.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: weighted_bce value 1.365 on a 2x1x16x16 logits batch, grad norm 0.04359, backward ok; perfect hard prediction: 9.058e-10 (grad norm 8.7e-11); confidently wrong hard prediction: 27.03 (grad norm 0.07793); empty mask predicted exactly empty: 0 (grad norm 9.109e-11)
import torch
import torch.nn.functional as F


def weighted_bce(logits, target):
    weights = torch.ones_like(target)
    weights[target > 0.5] = 5.0
    return F.binary_cross_entropy_with_logits(logits, target, weight=weights)
