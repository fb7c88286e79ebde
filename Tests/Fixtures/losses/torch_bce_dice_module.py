# BCE-with-logits plus soft Dice in one nn.Module, with the built-in loss as a member.
# expect: clean
import torch
import torch.nn as nn
import torch.nn.functional as F


class BCEDiceLoss(nn.Module):
    def __init__(self, bce_weight=0.5, smooth=1.0):
        super().__init__()
        self.bce = nn.BCEWithLogitsLoss()
        self.bce_weight = bce_weight
        self.smooth = smooth

    def forward(self, inputs, targets):
        bce = self.bce(inputs, targets)
        probs = torch.sigmoid(inputs).view(inputs.size(0), -1)
        flat = targets.view(targets.size(0), -1)
        intersection = (probs * flat).sum(1)
        dice = (2.0 * intersection + self.smooth) / (probs.sum(1) + flat.sum(1) + self.smooth)
        return self.bce_weight * bce + (1 - self.bce_weight) * (1 - dice.mean())
