# A three-level hierarchy as segmentation libraries write it: a base keeping the reduction, a Dice loss
# with a required `mode: str`, a Tversky loss on top calling super(Cls, self).__init__ and super().
# LossDoctor builds TverskyLoss(mode="binary") and DiceLoss(mode="binary") and checks both.
# expect: LD106 LD405
# verified: torch 2.15.0 CPU: TverskyLoss(mode="binary").smooth == 1.0 and .reduction == "mean" after the
#   chain of __init__; both losses are 0 on logits +20 where the mask is 1 and -20 elsewhere
import torch
import torch.nn as nn


class _SegLoss(nn.Module):
    def __init__(self, reduction: str = "mean"):
        super().__init__()
        self.reduction = reduction

    def reduce(self, values):
        return values.mean() if self.reduction == "mean" else values.sum()


class DiceLoss(_SegLoss):
    def __init__(self, mode: str, smooth: float = 1.0, eps: float = 1e-7):
        super(DiceLoss, self).__init__(reduction="mean")
        if mode != "binary":
            raise NotImplementedError(f"{mode} mode")
        self.smooth = smooth
        self.eps = eps

    def score(self, probs, target):
        inter = (probs * target).sum(dim=(1, 2, 3))
        card = (probs + target).sum(dim=(1, 2, 3))
        return (2 * inter + self.smooth) / (card + self.smooth).clamp_min(self.eps)

    def forward(self, logits, target):
        return self.reduce(1 - self.score(torch.sigmoid(logits), target))


class TverskyLoss(DiceLoss):
    def __init__(self, mode: str, alpha: float = 0.3, beta: float = 0.7):
        super().__init__(mode)
        self.alpha = alpha
        self.beta = beta

    def score(self, probs, target):
        tp = (probs * target).sum(dim=(1, 2, 3))
        fp = (probs * (1 - target)).sum(dim=(1, 2, 3))
        fn = ((1 - probs) * target).sum(dim=(1, 2, 3))
        return (tp + self.smooth) / (tp + self.alpha * fp + self.beta * fn + self.smooth)
