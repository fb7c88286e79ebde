# A 2-D Dice reused for volumes: the sums run over dims (2, 3) only (depth and height), so each
# width column of each volume gets its own Dice and empty columns dominate.
# framework: torch
# input: logits
# volume: 3d
# expect: LD307
# verified: torch 2.15.0: dice_loss value 0.8709 on a 2x1x4x16x16 logits batch, grad norm 0.002391, backward ok; perfect hard prediction: 0.006917 (grad norm 0.000207); confidently wrong hard prediction: 1 (grad norm 2.701e-11); empty mask predicted exactly empty: 0.01302 (grad norm 0.000284)
# known-issue: today LossDoctor misses LD307 (LD106 info 12:5 the gradient on confidently wrong predictions is 198.2 times smaller than on mildly wrong ones, as for e)
import torch


def dice_loss(logits, target, smooth=1e-5):
    p = torch.sigmoid(logits)
    inter = (p * target).sum((2, 3))
    card = p.sum((2, 3)) + target.sum((2, 3))
    return (1 - (2 * inter + smooth) / (card + smooth)).mean()
