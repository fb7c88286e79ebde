# nnU-Net-shaped soft Dice: module-level helpers (`sum_over`, `tp_fp_fn`) that only the loss class calls,
# the target prepared under `torch.no_grad()` (it never had a gradient: no graph break), axes sorted in
# reverse before summing, an optional non-linearity, and a demo under `if __name__ == "__main__":`.
# Only SoftDiceLoss is reported; the helpers are analysed through it.
# expect: LD309 LD405
# verified: torch 2.15.0 CPU: SoftDiceLoss(apply_nonlin=torch.sigmoid)(logits, mask) is -1.0 on logits
#   +20/-20 matching the mask (negative range: LD309) and backward() gives a non-zero gradient
import torch
from torch import nn


def sum_over(values, axes, keepdim=False):
    for axis in sorted(axes, reverse=True):
        values = values.sum(int(axis), keepdim=keepdim)
    return values


def tp_fp_fn(probs, target, axes):
    with torch.no_grad():
        target = target.float()
    tp = sum_over(probs * target, axes)
    fp = sum_over(probs * (1 - target), axes)
    fn = sum_over((1 - probs) * target, axes)
    return tp, fp, fn


class SoftDiceLoss(nn.Module):
    def __init__(self, apply_nonlin=None, batch_dice=False, smooth=1.0):
        super(SoftDiceLoss, self).__init__()
        self.apply_nonlin = apply_nonlin
        self.batch_dice = batch_dice
        self.smooth = smooth

    def forward(self, x, y, loss_mask=None):
        axes = ([0] if self.batch_dice else []) + list(range(2, len(x.shape)))
        if self.apply_nonlin is not None:
            x = self.apply_nonlin(x)
        tp, fp, fn = tp_fp_fn(x, y, axes)
        dc = (2 * tp + self.smooth) / (2 * tp + fp + fn + self.smooth + 1e-8)
        return -dc.mean()


if __name__ == "__main__":
    print(SoftDiceLoss()(torch.rand(2, 1, 4, 4), torch.rand(2, 1, 4, 4).round()))
