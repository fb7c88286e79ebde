# Cross-entropy plus a softmax Dice whose overlap is one sum over every class and pixel: the background
# channel dominates the pooled Dice, so an all-background prediction already scores it near perfect and
# the Dice term adds almost nothing for the object classes, which the cross-entropy beside it hides.
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: LD312
# verified: torch 2.15.0: ce_with_dice value 1.411 on a 2x3x16x16 logits batch, index target, grad norm 0.02506, backward ok; perfect hard prediction: 0 (grad norm 2.654e-19); confidently wrong hard prediction: 20.5 (grad norm 0.03125); empty mask predicted exactly empty: 0 (grad norm 2.654e-19); Dice term all-background 0.07024 vs uniform 0.666 (background 92.97 % of the pixels; a per-class mean Dice loss gives the all-background prediction 0.6437), total all-background 1.441 vs uniform 0.8823
import torch
import torch.nn.functional as F


def pooled_overlap(scores, onehot, eps=1.0):
    probs = F.softmax(scores, dim=1)
    shared = (probs * onehot).sum()
    return 1.0 - (2.0 * shared + eps) / (probs.sum() + onehot.sum() + eps)


def ce_with_dice(scores, labels, dice_weight=0.5):
    onehot = F.one_hot(labels, num_classes=scores.shape[1]).permute(0, 3, 1, 2).float()
    ce = F.cross_entropy(scores, labels)
    return (1.0 - dice_weight) * ce + dice_weight * pooled_overlap(scores, onehot)
