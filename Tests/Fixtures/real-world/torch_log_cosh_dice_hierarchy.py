# Two-level composition: a LogCoshDiceLoss module that owns a BinaryDiceLoss and wraps its value.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: LogCoshDiceLoss() value 0.309 on a 2x1x16x16 logits batch, grad norm 0.004454, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 0.4323 (grad norm 4.097e-11); empty mask predicted exactly empty: 0 (grad norm 5.004e-14)
import torch
import torch.nn as nn


class BinaryDiceLoss(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, targets):
        probs = torch.sigmoid(logits).view(-1)
        targets = targets.view(-1)
        inter = (probs * targets).sum()
        return 1 - (2.0 * inter + self.smooth) / (probs.sum() + targets.sum() + self.smooth)


class LogCoshDiceLoss(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.dice = BinaryDiceLoss(smooth=smooth)

    def forward(self, logits, targets):
        return torch.log(torch.cosh(self.dice(logits, targets)))
