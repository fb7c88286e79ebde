# A PyTorch Dice module on logits, per sample and channel over the spatial axes.
# Dice after a sigmoid saturates on confidently wrong logits (LD106), as MSE after a sigmoid does.
# expect: LD106 LD405
import torch
import torch.nn as nn


class DiceLoss(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, target):
        probs = torch.sigmoid(logits)
        dims = (2, 3)
        intersection = (probs * target).sum(dim=dims)
        union = probs.sum(dim=dims) + target.sum(dim=dims)
        dice = (2.0 * intersection + self.smooth) / (union + self.smooth)
        return 1.0 - dice.mean()
