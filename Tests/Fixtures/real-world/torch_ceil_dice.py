# torch.ceil on the probabilities ("any response counts as foreground"): the gradient is zero.
# framework: torch
# expect: LD103 LD501
# verified: torch 2.15.0: dice_loss value 0.8179 on a 2x1x16x16 sigmoid batch, grad norm 0, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 0.9981 (grad norm 0); empty mask predicted exactly empty: 0 (grad norm 0)
import torch


def dice_loss(pred, target, smooth=1.0):
    hard = torch.ceil(pred - 0.5)
    inter = (hard * target).sum()
    return 1 - (2 * inter + smooth) / (hard.sum() + target.sum() + smooth)
