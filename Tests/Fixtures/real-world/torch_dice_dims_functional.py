# A functional Dice on probabilities over the spatial dims (2, 3), averaged over images and channels.
# framework: torch
# expect: clean
# verified: torch 2.15.0: dice_loss value 0.8389 on a 2x1x16x16 sigmoid batch, grad norm 0.0405, backward ok; perfect hard prediction: 0 (grad norm 0.4581); confidently wrong hard prediction: 1 (grad norm 0.0262); empty mask predicted exactly empty: 0 (grad norm 1.131e+07)
import torch


def dice_loss(pred, target, smooth=1e-6):
    inter = (pred * target).sum(dim=(2, 3))
    union = pred.sum(dim=(2, 3)) + target.sum(dim=(2, 3))
    return (1 - (2.0 * inter + smooth) / (union + smooth)).mean()
