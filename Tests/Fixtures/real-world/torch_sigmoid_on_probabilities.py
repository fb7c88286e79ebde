# The network already ends in a sigmoid and the loss applies another one: predictions live in
# [0.5, 0.73] and the target is unreachable.
# framework: torch
# input: probs
# expect: LD305
# verified: torch 2.15.0: DiceBCELoss() value 1.772 on a 2x1x16x16 sigmoid batch, grad norm 0.03105, backward ok; perfect hard prediction: 1.446 (grad norm 0.02716); confidently wrong hard prediction: 2.147 (grad norm 0.03506); empty mask predicted exactly empty: 1.689 (grad norm 0.02218)
# known-issue: today LossDoctor misses LD305; also warns LD203 (LD203 warning 14:19 probabilities made by `sigmoid` inside the loss are then logged: float32 saturates for confident log)
import torch
import torch.nn as nn


class DiceBCELoss(nn.Module):
    def forward(self, outputs, targets, smooth=1.0):
        outputs = torch.sigmoid(outputs)
        bce = nn.functional.binary_cross_entropy(outputs, targets)
        inter = (outputs * targets).sum()
        dice = (2.0 * inter + smooth) / (outputs.sum() + targets.sum() + smooth)
        return bce + 1.0 - dice
