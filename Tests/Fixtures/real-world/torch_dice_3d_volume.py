# A volumetric (N, 1, D, H, W) Dice for CT/MRI: sigmoid of logits, sums over dims (2, 3, 4) per volume.
# framework: torch
# input: logits
# volume: 3d
# expect: clean
# verified: torch 2.15.0: dice_loss_3d value 0.8375 on a 2x1x4x16x16 logits batch, grad norm 0.003094, backward ok; perfect hard prediction: 0 (grad norm 4.562e-10); confidently wrong hard prediction: 0.999 (grad norm 2.697e-11); empty mask predicted exactly empty: 2.146e-06 (grad norm 4.664e-08)
import torch


def dice_loss_3d(logits, target, smooth=1.0):
    p = torch.sigmoid(logits)
    dims = (2, 3, 4)
    inter = (p * target).sum(dims)
    card = p.sum(dims) + target.sum(dims)
    return (1 - (2 * inter + smooth) / (card + smooth)).mean()
