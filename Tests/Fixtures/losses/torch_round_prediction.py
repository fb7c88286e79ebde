# `.round()` of the probabilities: PyTorch's gradient is zeros.
# expect: LD103 LD105 LD405
import torch


def dice_loss(pred, target, smooth=1.0):
    probs = torch.sigmoid(pred).round()
    intersection = (probs * target).sum()
    return 1 - (2 * intersection + smooth) / (probs.sum() + target.sum() + smooth)
