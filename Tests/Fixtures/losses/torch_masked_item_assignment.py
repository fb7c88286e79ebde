# Pixels marked 255 are ignored by writing zeros in place: `target[ignored] = 0` and `loss[ignored] = 0`
# (PyTorch item assignment). The gradient still reaches every pixel that was not overwritten, so the
# loss trains; the sigmoid-then-log form saturates in float32 (LD203).
# expect: LD203 LD605
# verified: torch 2.15.0 CPU: on logits requiring grad, MaskedBCE()(logits, target) backpropagates; the
#   gradient is exactly 0 on the pixels whose target is 255 and non-zero elsewhere
import torch
import torch.nn as nn


class MaskedBCE(nn.Module):
    def __init__(self, ignore_value: float = 255.0, reduction: str = "mean"):
        super().__init__()
        self.ignore_value = ignore_value
        self.reduction = reduction

    def forward(self, logits, target):
        target = target.clone()
        ignored = target == self.ignore_value
        target[ignored] = 0
        probs = torch.sigmoid(logits)
        loss = -(target * torch.log(probs + 1e-7) + (1 - target) * torch.log(1 - probs + 1e-7))
        loss[ignored] = 0.0
        with torch.no_grad():
            count = (~ignored).sum().clamp_min(1)
        return loss.sum() / count
