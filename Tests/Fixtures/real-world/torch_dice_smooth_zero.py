# Uncertainty-estimation repository style: smooth = 0 per image, so an empty mask predicted
# empty divides 0 by 0.
# framework: torch
# expect: LD201
# verified: torch 2.15.0: DiceLoss() value 0.8389 on a 2x1x16x16 sigmoid batch, grad norm 0.0405, backward ok; perfect hard prediction: 0 (grad norm 0.4581); confidently wrong hard prediction: 1 (grad norm 0.0262); empty mask predicted exactly empty: nan (grad NOT finite)
import torch
import torch.nn as nn


class DiceLoss(nn.Module):
    def forward(self, pred, target):
        smooth = 0.0
        n = target.shape[0]
        a = pred.view(n, -1)
        b = target.view(n, -1)
        score = (2.0 * (a * b).sum(1) + smooth) / (a.sum(1) + b.sum(1) + smooth)
        return 1.0 - score.sum() / n
