# An eager Python `if` on a one-element tensor to handle images without foreground: valid PyTorch
# (it only breaks torch.compile graphs).
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: dice_or_bce value 0.8272 on a 2x1x16x16 logits batch, grad norm 0.006561, backward ok; perfect hard prediction: 0 (grad norm 4.895e-10); confidently wrong hard prediction: 0.9981 (grad norm 5.385e-11); empty mask predicted exactly empty: 0 (grad norm 9.109e-11)
import torch
import torch.nn.functional as F


def dice_or_bce(logits, target, smooth=1.0):
    if target.sum() == 0:
        return F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    inter = (p * target).sum()
    return 1 - (2 * inter + smooth) / (p.sum() + target.sum() + smooth)
