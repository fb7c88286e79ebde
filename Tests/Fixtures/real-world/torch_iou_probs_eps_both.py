# An IoU loss on probabilities with eps in numerator and denominator (an empty mask predicted empty is 0).
# framework: torch
# expect: clean
# verified: torch 2.15.0: IoULoss() value 0.9071 on a 2x1x16x16 sigmoid batch, grad norm 0.02573, backward ok; perfect hard prediction: 0 (grad norm 0.5028); confidently wrong hard prediction: 1 (grad norm 0.0131); empty mask predicted exactly empty: 0 (grad norm 2.263e+07)
import torch.nn as nn


class IoULoss(nn.Module):
    def __init__(self, eps=1e-6):
        super().__init__()
        self.eps = eps

    def forward(self, pred, target):
        inter = (pred * target).sum()
        union = pred.sum() + target.sum() - inter
        return 1 - (inter + self.eps) / (union + self.eps)
