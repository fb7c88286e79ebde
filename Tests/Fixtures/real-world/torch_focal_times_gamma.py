# Focal loss with `* gamma` typed for `** gamma`: alpha * gamma * (1 - p_t) * BCE, which behaves like a
# rescaled BCE, not a focal loss.
# framework: torch
# input: logits
# expect: LD310
# verified: torch 2.15.0: focal_loss value 0.3995 on a 2x1x16x16 logits batch, grad norm 0.01328, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 10 (grad norm 0.0221); empty mask predicted exactly empty: 0 (grad norm 0)
import torch
import torch.nn.functional as F


def focal_loss(logits, target, alpha=0.25, gamma=2.0):
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    pt = torch.exp(-bce)
    return (alpha * (1 - pt) * gamma * bce).mean()
