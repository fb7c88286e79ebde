# A masked binary Dice: valid pixels are `(target >= 0) & (target != ignore)`. With the default
# ignore=None, `target != None` is the Python bool True in PyTorch, so every labelled pixel counts.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: masked_dice value 0.8762 on a 2x1x16x16 logits batch, grad norm 0.006303, backward ok; perfect hard prediction: 0 (grad norm 6.842e-10); confidently wrong hard prediction: 0.9961 (grad norm 4.528e-11); empty mask predicted exactly empty: 4.768e-07 (grad norm 2.332e-08); `target != None` is True (bool), so the mask is target >= 0; with ignore=255 and a row of 255 in the target the loss still runs
import torch


def masked_dice(logits, target, ignore=None, smooth=1.0):
    valid = ((target >= 0) & (target != ignore)).float()
    p = torch.sigmoid(logits) * valid
    t = target * valid
    inter = (p * t).sum(dim=(1, 2, 3))
    denom = p.sum(dim=(1, 2, 3)) + t.sum(dim=(1, 2, 3))
    return (1.0 - (2.0 * inter + smooth) / (denom + smooth)).mean()
