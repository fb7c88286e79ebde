# Casting the prediction to an integer type: the gradient is cut.
# expect: LD102 LD105 LD405 LD602
import torch


def dice_loss(pred, target, smooth=1.0):
    labels = (torch.sigmoid(pred) + 0.5).long()
    intersection = (labels * target).sum()
    return 1 - (2 * intersection + smooth) / (labels.sum() + target.sum() + smooth)
