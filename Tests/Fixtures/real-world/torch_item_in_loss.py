# The Dice is turned into a Python float with .item() and wrapped in a new tensor for backward.
# framework: torch
# input: logits
# expect: LD107 LD501
# verified: torch 2.15.0: dice_loss value 0.8272 on a 2x1x16x16 logits batch, grad None; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 0.9981 (grad None); empty mask predicted exactly empty: 1.073e-06 (grad None)
import torch


def dice_loss(logits, target, smooth=1.0):
    probs = torch.sigmoid(logits)
    inter = (probs * target).sum()
    dice = ((2.0 * inter + smooth) / (probs.sum() + target.sum() + smooth)).item()
    return torch.tensor(1.0 - dice, requires_grad=True)
