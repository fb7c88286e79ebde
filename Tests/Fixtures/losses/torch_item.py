# `.item()` of the denominator: that path leaves the graph (only the numerator trains).
# expect: LD106 LD107 LD403 LD405
import torch


def dice_loss(pred, target, smooth=1.0):
    probs = torch.sigmoid(pred)
    intersection = (probs * target).sum()
    union = (probs.sum() + target.sum()).item()
    return 1 - (2 * intersection + smooth) / (union + smooth)
