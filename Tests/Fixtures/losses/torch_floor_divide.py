# torch.floor_divide in a Dice ratio: PyTorch raises in backward, the value is stuck.
# On logits, an empty prediction is only nearly 0: (0 + 1) // (eps + 1) floors to 0, so an empty target costs 1.
# expect: LD101 LD105 LD303 LD405
import torch


def dice_loss(pred, target):
    pred = torch.sigmoid(pred)
    intersection = (pred * target).sum()
    return 1 - torch.floor_divide(2 * intersection + 1, pred.sum() + target.sum() + 1)
