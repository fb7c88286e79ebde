# The constructor offers include_background=False but forward never reads it: the background channel
# stays in the mean (an option that does nothing).
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: LD605 LD504
# trained (Scripts/validate-simulation.py, torch 2.15, 3-class task): validation Dice 0, no foreground predicted from step 20 on.
# verified: torch 2.15.0: DiceLoss() value 0.7566 on a 2x3x16x16 logits batch, index target, grad norm 0.007091, backward ok; perfect hard prediction: 0 (grad norm 8.234e-19); confidently wrong hard prediction: 0.9883 (grad norm 2.764e-19); empty mask predicted exactly empty: 0 (grad norm 2.27e-17)
import torch
import torch.nn as nn
import torch.nn.functional as F


class DiceLoss(nn.Module):
    def __init__(self, include_background=False, smooth=1.0):
        super().__init__()
        self.include_background = include_background
        self.smooth = smooth

    def forward(self, logits, target):
        probs = F.softmax(logits, dim=1)
        onehot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).float()
        inter = (probs * onehot).sum((2, 3))
        card = (probs + onehot).sum((2, 3))
        return (1 - (2 * inter + self.smooth) / (card + self.smooth)).mean()
