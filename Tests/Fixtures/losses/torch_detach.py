# `.detach()` of the prediction: the loss is logged but nothing trains.
# LD107 graph-break carries the no-gradient finding (one finding where both apply).
# expect: LD107 LD403 LD405
import torch


def dice_loss(pred, target, smooth=1.0):
    probs = torch.sigmoid(pred).detach()
    intersection = (probs * target).sum()
    return 1 - (2 * intersection + smooth) / (probs.sum() + target.sum() + smooth)
