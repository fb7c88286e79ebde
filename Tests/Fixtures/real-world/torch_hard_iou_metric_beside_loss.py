# A file of losses that also keeps its evaluation metric: a binary IoU of hard labels (`preds == 1`), in
# percent, per image, averaged. It has no gradient and is higher when better: a metric, not a loss, and
# not named like one; the soft Dice beside it is the loss.
# framework: torch
# input: probs
# expect: clean
# verified: torch 2.15.0: iou_binary on a 2x1x16x16 mask: 100.0 for the perfect prediction, 0.0 for the inverted one, result requires_grad False (no gradient path); soft_dice_loss value 0.8014 on a constant 0.3 prediction, grad norm 0.06961, backward ok; perfect prediction: 0
# entry: soft_dice_loss
import torch


def iou_binary(preds, labels, empty=1.0):
    scores = []
    for pred, label in zip(preds, labels):
        inter = ((label == 1) & (pred == 1)).sum()
        union = ((label == 1) | (pred == 1)).sum()
        scores.append(torch.tensor(empty) if union == 0 else inter.float() / union.float())
    return 100.0 * torch.stack(scores).mean()


def soft_dice_loss(probs, target, smooth=1.0):
    inter = (probs * target).sum(dim=(1, 2, 3))
    total = probs.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3))
    return (1.0 - (2.0 * inter + smooth) / (total + smooth)).mean()
