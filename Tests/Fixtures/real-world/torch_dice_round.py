# Rounding the sigmoid output to a hard mask inside the loss: PyTorch gives a zero gradient.
# framework: torch
# input: logits
# expect: LD103 LD501
# verified: torch 2.15.0: hard_dice_loss value 0.8179 on a 2x1x16x16 logits batch, grad norm 0, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 0.9981 (grad norm 0); empty mask predicted exactly empty: 0 (grad norm 0)
import torch


def hard_dice_loss(logits, target, smooth=1.0):
    mask = torch.round(torch.sigmoid(logits))
    inter = (mask * target).sum()
    return 1.0 - (2.0 * inter + smooth) / (mask.sum() + target.sum() + smooth)
