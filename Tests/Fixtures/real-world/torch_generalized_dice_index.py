# Generalized Dice for class-index targets, MONAI's way of handling absent classes: weights
# 1/volume^2, and an infinite weight (absent class) replaced by the largest finite one.
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: clean
# verified: torch 2.15.0: generalized_dice_loss value 0.8566 on a 2x3x16x16 logits batch, index target, grad norm 0.008471, backward ok; perfect hard prediction: 0 (grad norm 8.045e-19); confidently wrong hard prediction: 1 (grad norm 1.421e-19); empty mask predicted exactly empty: 0 (grad norm 2.648e-19)
import torch
import torch.nn.functional as F


def generalized_dice_loss(logits, target, smooth=1e-5):
    probs = torch.softmax(logits, dim=1)
    onehot = F.one_hot(target, probs.shape[1]).permute(0, 3, 1, 2).float()
    volume = onehot.sum(dim=(0, 2, 3))
    w = 1.0 / (volume * volume)
    finite = torch.where(torch.isinf(w), torch.zeros_like(w), w)
    w = torch.where(torch.isinf(w), finite.max(), w)
    inter = (w * (probs * onehot).sum(dim=(0, 2, 3))).sum()
    denom = (w * (probs + onehot).sum(dim=(0, 2, 3))).sum()
    return 1.0 - (2.0 * inter + smooth) / (denom + smooth)
