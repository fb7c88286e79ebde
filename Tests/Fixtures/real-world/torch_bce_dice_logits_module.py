# Kaggle-style BCEDiceLoss module: BCE on logits plus a per-image Dice of the sigmoid.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: BCEDiceLoss() value 1.345 on a 2x1x16x16 logits batch, grad norm 0.0162, backward ok; perfect hard prediction: 9.058e-11 (grad norm 9.159e-10); confidently wrong hard prediction: 11 (grad norm 0.0221); empty mask predicted exactly empty: 4.768e-07 (grad norm 2.336e-08)
import torch
import torch.nn as nn
import torch.nn.functional as F


class BCEDiceLoss(nn.Module):
    def __init__(self, smooth=1.0, bce_weight=0.5):
        super().__init__()
        self.smooth = smooth
        self.bce_weight = bce_weight

    def forward(self, logits, target):
        bce = F.binary_cross_entropy_with_logits(logits, target)
        prob = torch.sigmoid(logits)
        n = target.size(0)
        p = prob.view(n, -1)
        t = target.view(n, -1)
        dice = (2.0 * (p * t).sum(1) + self.smooth) / (p.sum(1) + t.sum(1) + self.smooth)
        return self.bce_weight * bce + (1.0 - dice).mean()
