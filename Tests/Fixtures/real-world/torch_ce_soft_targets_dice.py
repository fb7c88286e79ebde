# One-hot float targets: F.cross_entropy with class-probability targets plus a multi-class Dice.
# framework: torch
# input: logits
# target: one-hot
# classes: 4
# expect: clean
# verified: torch 2.15.0: ce_dice value 3.209 on a 2x4x16x16 logits batch, one-hot target, grad norm 0.04872, backward ok; perfect hard prediction: 0 (grad norm 1.313e-18); confidently wrong hard prediction: 40.99 (grad norm 0.0625); empty mask predicted exactly empty: 0 (grad norm 4.199e-17)
# known-issue: today LossDoctor also errors LD103 (`*` makes the gradient exactly zero on all 30 soft probes: the loss cannot train), LD501 (validation loss stays at 0.9209 for all 30 steps of the simulated run and valida); also warns LD105 (the loss takes only 1 distinct values along the 65-step sweep perfect->inverted ), LD303 (on an empty target, the correct empty prediction costs 0.9999, the worst value o), LD307 (`reduce_sum` over axis 1 of shape (4, 1, 64, 64) reduces nothing: the loss is co)
import torch
import torch.nn.functional as F


def ce_dice(logits, onehot, smooth=1.0):
    ce = F.cross_entropy(logits, onehot)
    probs = torch.softmax(logits, dim=1)
    inter = (probs * onehot).sum((0, 2, 3))
    card = (probs + onehot).sum((0, 2, 3))
    return ce + (1 - (2 * inter + smooth) / (card + smooth)).mean()
