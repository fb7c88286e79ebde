# Segmentation loss module: cross-entropy on one-hot (soft) targets plus a sigmoid Dice in which the
# prediction and the one-hot mask are flattened whole, background channel included: one pooled overlap
# that the background dominates, so the Dice term barely cares whether the object classes are found.
# framework: torch
# input: logits
# target: one-hot
# classes: 3
# expect: LD312
# verified: torch 2.15.0: CEDiceSegLoss() value 2.744 on a 2x3x16x16 logits batch, one-hot target, grad norm 0.04827, backward ok; perfect hard prediction: 0 (grad norm 6.435e-11); confidently wrong hard prediction: 41 (grad norm 0.0625); empty mask predicted exactly empty: 0 (grad norm 6.435e-11); Dice term all-background 0.07024 vs uniform (logits 0) 0.5995, per-class mean Dice loss of the all-background prediction 0.6437; class-index labels raise (flattened sizes 1536 vs 512), so the targets are one-hot as in the repository
import torch
import torch.nn as nn
import torch.nn.functional as F


class CEDiceSegLoss(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, onehot):
        ce = F.cross_entropy(logits, onehot)
        p = torch.sigmoid(logits).reshape(-1)
        t = onehot.reshape(-1)
        overlap = (p * t).sum()
        dice = (2.0 * overlap + self.smooth) / (p.sum() + t.sum() + self.smooth)
        return ce + (1.0 - dice)
