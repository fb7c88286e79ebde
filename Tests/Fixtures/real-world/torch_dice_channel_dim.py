# The sums run over dim=1, the single channel of a binary mask: a Dice per pixel.
# framework: torch
# expect: LD307
# verified: torch 2.15.0: dice_loss value 0.2868 on a 2x1x16x16 sigmoid batch, grad norm 0.02469, backward ok; perfect hard prediction: 0 (grad norm 0.04243); confidently wrong hard prediction: 0.5 (grad norm 0.01442); empty mask predicted exactly empty: 0 (grad norm 0.04419)
import torch


def dice_loss(pred, target, smooth=1.0):
    inter = (pred * target).sum(dim=1)
    card = pred.sum(dim=1) + target.sum(dim=1)
    return (1 - (2 * inter + smooth) / (card + smooth)).mean()
