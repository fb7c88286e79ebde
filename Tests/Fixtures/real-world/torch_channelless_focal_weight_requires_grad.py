# A focal loss for a model whose one output channel is squeezed away (logits and mask (N, H, W), unpacked as
# `n, h, w`). The focal factor, computed from the logits, is passed as BCE's `weight`, which PyTorch refuses in
# the forward call; `w` is also the image width, and alpha is stored but never read.
# framework: torch
# expect: LD603 LD605
# exit: 2
# verified: torch 2.15.0: SqueezedFocalLoss() raises on a 2x16x16 logits batch (requires_grad): RuntimeError: The function 'binary_cross_entropy_with_logits' is not differentiable with respect to argument 'weight'. This input cannot have requires_grad True.; on (2,1,16,16) it raises ValueError: too many values to unpack (expected 3)
# entry: SqueezedFocalLoss()
import torch
import torch.nn.functional as F
from torch import nn


class SqueezedFocalLoss(nn.Module):
    """Focal loss for a network whose single output channel is squeezed away: logits and mask are (N, H, W)."""

    def __init__(self, alpha=0.25, gamma=2.0):
        super().__init__()
        self.alpha = alpha
        self.gamma = gamma

    def forward(self, logits, mask):
        n, h, w = logits.shape
        prob = torch.sigmoid(logits)
        p_t = prob * mask + (1 - prob) * (1 - mask)
        # The focal factor is passed as the kernel's weight; it is computed from the logits.
        w = w * (1 - p_t) ** self.gamma
        return F.binary_cross_entropy_with_logits(logits, mask, weight=w)
