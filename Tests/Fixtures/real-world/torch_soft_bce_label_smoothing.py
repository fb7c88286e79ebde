# smp/toolbelt-style soft BCE: the target is smoothed towards 0.5 before BCE on logits.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: SoftBCEWithLogitsLoss() value 1.034 on a 2x1x16x16 logits batch, grad norm 0.02188, backward ok; perfect hard prediction: 2 (grad norm 0.004419); confidently wrong hard prediction: 18 (grad norm 0.03977); empty mask predicted exactly empty: 2 (grad norm 0.004419)
import torch.nn as nn
import torch.nn.functional as F


class SoftBCEWithLogitsLoss(nn.Module):
    def __init__(self, smooth_factor=0.1):
        super().__init__()
        self.smooth_factor = smooth_factor

    def forward(self, y_pred, y_true):
        soft = (1 - y_true) * self.smooth_factor + y_true * (1 - self.smooth_factor)
        return F.binary_cross_entropy_with_logits(y_pred, soft)
