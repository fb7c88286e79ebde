# CE on all classes plus a Dice on the foreground channels only (probs[:, 1:]).
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: clean
# verified: torch 2.15.0: ce_fg_dice value 2.975 on a 2x3x16x16 logits batch, index target, grad norm 0.04795, backward ok; perfect hard prediction: 0 (grad norm 1.996e-18); confidently wrong hard prediction: 40.98 (grad norm 0.0625); empty mask predicted exactly empty: 0 (grad norm 5.902e-17)
import torch
import torch.nn.functional as F


def ce_fg_dice(logits, target, smooth=1.0):
    ce = F.cross_entropy(logits, target)
    probs = torch.softmax(logits, dim=1)[:, 1:]
    onehot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).float()[:, 1:]
    inter = (probs * onehot).sum((2, 3))
    card = (probs + onehot).sum((2, 3))
    return ce + (1 - (2 * inter + smooth) / (card + smooth)).mean()
