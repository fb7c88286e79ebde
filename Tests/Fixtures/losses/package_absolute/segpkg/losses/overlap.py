# A loss inside a package that imports its own package three ways: absolutely by the package's name,
# relatively from `.`, and an enum module two levels up. LossDoctor walks up the `__init__.py` chain
# to the package root and reads those modules (and no other package's).
# expect: LD106 LD405
# verified: torch 2.15.0 CPU, PYTHONPATH=package_absolute, OverlapLoss(mode="binary") on an (1, 1, 8, 8) half mask:
#   the gradient on the mask at logits -8 is 0.0035 times the one at logits 0 (sigmoid saturation: LD106);
#   OverlapLoss(mode="multiclass") raises ValueError: mode 'multiclass' is not supported
import torch
import torch.nn as nn

from segpkg.enums import Reduction
from segpkg.losses._kernels import overlap_score
from . import _kernels


class OverlapLoss(nn.Module):
    def __init__(self, mode: str, reduction: str = Reduction.MEAN, smooth: float = 1.0):
        super().__init__()
        if mode not in ("binary", "multilabel"):
            raise ValueError(f"mode {mode!r} is not supported")
        self.reduction = reduction
        self.smooth = smooth

    def forward(self, logits, mask):
        probs = torch.sigmoid(logits)
        first = overlap_score(probs, mask, smooth=self.smooth, dims=(2, 3))
        second = _kernels.overlap_score(probs, mask, smooth=self.smooth, dims=(2, 3))
        loss = 1.0 - 0.5 * (first + second)
        if self.reduction == Reduction.MEAN:
            return loss.mean()
        return loss.sum()
