# torch.div with rounding_mode="floor" in a Dice: PyTorch has no derivative for it.
# framework: torch
# expect: LD101 LD501
# verified: torch 2.15.0: dice_loss value 1 on a 2x1x16x16 sigmoid batch, grad norm 0, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 1 (grad norm 0); empty mask predicted exactly empty: 0 (grad norm 0)
import torch


def dice_loss(pred, target, smooth=1.0):
    inter = (pred * target).sum((1, 2, 3))
    card = pred.sum((1, 2, 3)) + target.sum((1, 2, 3))
    return (1.0 - torch.div(2.0 * inter + smooth, card + smooth, rounding_mode="floor")).mean()
