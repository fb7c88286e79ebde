# A combined loss class around smp: multiclass DiceLoss and CrossEntropyLoss, both with ignore_index.
# framework: torch
# input: logits
# target: index
# classes: 3
# ignore-index: 255
# expect: clean
# verified: torch 2.15.0: CombinedLoss() value 1.418 on a 2x3x16x16 logits batch, index target with ignore 255, grad norm 0.02532, backward ok; perfect hard prediction: 0 (grad norm 4.829e-19); confidently wrong hard prediction: 20.5 (grad norm 0.03227); empty mask predicted exactly empty: 0 (grad norm 1.371e-19)
import segmentation_models_pytorch as smp
import torch


class CombinedLoss(torch.nn.Module):
    def __init__(self, dice_weight=0.5, ce_weight=0.5, ignore_index=255):
        super().__init__()
        self.dice_loss = smp.losses.DiceLoss(mode="multiclass", ignore_index=ignore_index)
        self.ce_loss = torch.nn.CrossEntropyLoss(ignore_index=ignore_index)
        self.dice_weight = dice_weight
        self.ce_weight = ce_weight

    def forward(self, output, target):
        return self.dice_weight * self.dice_loss(output, target) + self.ce_weight * self.ce_loss(output, target)
