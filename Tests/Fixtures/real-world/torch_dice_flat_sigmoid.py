# The loss-function-library form: sigmoid, flatten the whole batch, one smoothed Dice.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: DiceLoss() value 0.8272 on a 2x1x16x16 logits batch, grad norm 0.006561, backward ok; perfect hard prediction: 0 (grad norm 4.895e-10); confidently wrong hard prediction: 0.9981 (grad norm 5.385e-11); empty mask predicted exactly empty: 1.073e-06 (grad norm 4.664e-08)
import torch.nn as nn
import torch.nn.functional as F


class DiceLoss(nn.Module):
    def __init__(self, weight=None, size_average=True):
        super(DiceLoss, self).__init__()

    def forward(self, inputs, targets, smooth=1):
        inputs = F.sigmoid(inputs)
        inputs = inputs.view(-1)
        targets = targets.view(-1)
        intersection = (inputs * targets).sum()
        return 1 - (2.0 * intersection + smooth) / (inputs.sum() + targets.sum() + smooth)
