# An optional dependency imported in try/except ImportError; the loss itself is plain PyTorch.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: dice_bce value 1.852 on a 2x1x16x16 logits batch, grad norm 0.02879, backward ok; perfect hard prediction: 0 (grad norm 5.765e-10); confidently wrong hard prediction: 21 (grad norm 0.04419); empty mask predicted exactly empty: 1.073e-06 (grad norm 4.673e-08)
import torch

try:
    import wandb
except ImportError:
    wandb = None


def dice_bce(logits, target, smooth=1.0):
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    dice = (2 * (p * target).sum() + smooth) / (p.sum() + target.sum() + smooth)
    return bce + 1 - dice
