# Multi-class Dice for class-index targets (N, H, W): softmax over channels, F.one_hot of the
# labels moved to channels-first, one Dice per class over the batch, averaged.
# framework: torch
# input: logits
# target: index
# classes: 4
# expect: clean
# verified: torch 2.15.0: multiclass_dice_loss value 0.8211 on a 2x4x16x16 logits batch, index target, grad norm 0.006323, backward ok; perfect hard prediction: 0 (grad norm 1.009e-18); confidently wrong hard prediction: 0.9903 (grad norm 2.588e-19); empty mask predicted exactly empty: 0 (grad norm 4.167e-17)
import torch
import torch.nn.functional as F


def multiclass_dice_loss(logits, target, smooth=1.0):
    num_classes = logits.shape[1]
    probs = torch.softmax(logits, dim=1)
    onehot = F.one_hot(target.long(), num_classes).permute(0, 3, 1, 2).float()
    dims = (0, 2, 3)
    inter = (probs * onehot).sum(dims)
    card = probs.sum(dims) + onehot.sum(dims)
    return 1.0 - ((2.0 * inter + smooth) / (card + smooth)).mean()
