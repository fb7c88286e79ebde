# Per-image Dice losses summed over the batch instead of averaged: the scale follows the batch size.
# framework: torch
# input: logits
# expect: LD401
# verified: torch 2.15.0: dice_loss value 1.666 on a 2x1x16x16 logits batch, grad norm 0.01232, backward ok; perfect hard prediction: 0 (grad norm 1.756e-09); confidently wrong hard prediction: 1.992 (grad norm 1.074e-10); empty mask predicted exactly empty: 9.537e-07 (grad norm 4.664e-08)
import torch


def dice_loss(logits, target, smooth=1.0):
    p = torch.sigmoid(logits)
    inter = (p * target).sum((1, 2, 3))
    card = (p + target).sum((1, 2, 3))
    return (1 - (2 * inter + smooth) / (card + smooth)).sum()
