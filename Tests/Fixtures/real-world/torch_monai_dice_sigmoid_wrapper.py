# A wrapper module that configures MONAI's DiceLoss for a single-channel sigmoid output.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: DiceSegLoss() value 0.8389 on a 2x1x16x16 logits batch, grad norm 0.006197, backward ok; perfect hard prediction: 0 (grad norm 9.245e-10); confidently wrong hard prediction: 1 (grad norm 5.401e-11); empty mask predicted exactly empty: 0.05012 (grad norm 0.002104)
from monai.losses import DiceLoss
from torch import nn


class DiceSegLoss(nn.Module):
    def __init__(self, smooth_nr=1e-5, smooth_dr=1e-5):
        super().__init__()
        self.loss_fn = DiceLoss(sigmoid=True, smooth_nr=smooth_nr, smooth_dr=smooth_dr)

    def forward(self, logits, label):
        return self.loss_fn(logits, label)
