# One-hot float targets: F.cross_entropy with class-probability targets plus a multi-class Dice.
# framework: torch
# input: logits
# target: one-hot
# classes: 4
# expect: clean
# verified: torch 2.15.0: ce_dice value 3.209 on a 2x4x16x16 logits batch, one-hot target, grad norm 0.04872, backward ok; perfect hard prediction: 0 (grad norm 1.313e-18); confidently wrong hard prediction: 40.99 (grad norm 0.0625); empty mask predicted exactly empty: 0 (grad norm 4.199e-17)
import torch
import torch.nn.functional as F


def ce_dice(logits, onehot, smooth=1.0):
    ce = F.cross_entropy(logits, onehot)
    probs = torch.softmax(logits, dim=1)
    inter = (probs * onehot).sum((0, 2, 3))
    card = (probs + onehot).sum((0, 2, 3))
    return ce + (1 - (2 * inter + smooth) / (card + smooth)).mean()
