# Three levels: a base class with a reduction helper, a Dice subclass, and a weighted subclass that calls
# super().forward; both super() spellings.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: WeightedDiceLoss() value 0.8332 on a 2x1x16x16 logits batch, grad norm 0.00616, backward ok; perfect hard prediction: 0 (grad norm 8.778e-10); confidently wrong hard prediction: 0.9961 (grad norm 5.37e-11); empty mask predicted exactly empty: 4.768e-07 (grad norm 2.332e-08)
import torch
import torch.nn as nn


class BaseSegLoss(nn.Module):
    def __init__(self, reduction="mean"):
        super(BaseSegLoss, self).__init__()
        self.reduction = reduction

    def reduce(self, per_image):
        return per_image.mean() if self.reduction == "mean" else per_image.sum()


class DiceLoss(BaseSegLoss):
    def __init__(self, smooth=1.0, reduction="mean"):
        super().__init__(reduction=reduction)
        self.smooth = smooth

    def forward(self, logits, target):
        p = torch.sigmoid(logits)
        inter = (p * target).sum((1, 2, 3))
        card = (p + target).sum((1, 2, 3))
        return self.reduce(1 - (2 * inter + self.smooth) / (card + self.smooth))


class WeightedDiceLoss(DiceLoss):
    def __init__(self, weight=1.0, smooth=1.0):
        super(WeightedDiceLoss, self).__init__(smooth=smooth)
        self.weight = weight

    def forward(self, logits, target):
        return self.weight * super().forward(logits, target)
