# A Python `if` on a tensor: refused in TensorFlow graph mode, one branch per call in PyTorch.
# expect: LD106 LD403 LD405 LD604
import torch


def dice_loss(pred, target, smooth=1.0):
    probs = torch.sigmoid(pred)
    if target.sum() == 0:
        return probs.mean()
    intersection = (probs * target).sum()
    return 1 - (2 * intersection + smooth) / (probs.sum() + target.sum() + smooth)
