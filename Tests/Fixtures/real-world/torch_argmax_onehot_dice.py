# The prediction is turned into a one-hot mask by argmax before the Dice: no gradient path remains.
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: LD102 LD501
# verified: torch 2.15.0: hard_multiclass_dice value 0.7606 on a 2x3x16x16 logits batch, index target, grad None: the result does not require grad; perfect hard prediction: 0; confidently wrong hard prediction: 0.995; empty mask predicted exactly empty: 0
import torch
import torch.nn.functional as F


def hard_multiclass_dice(logits, target, smooth=1.0):
    pred = F.one_hot(logits.argmax(dim=1), logits.shape[1]).permute(0, 3, 1, 2).float()
    onehot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).float()
    inter = (pred * onehot).sum((0, 2, 3))
    card = (pred + onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + smooth) / (card + smooth)).mean()
