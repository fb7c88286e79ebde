# BCE with reduction='sum' added to a Dice: the BCE term grows with batch and image size.
# framework: torch
# input: logits
# expect: LD401 LD402
# verified: torch 2.15.0: bce_dice_loss value 525.4 on a 2x1x16x16 logits batch, grad norm 13.03, backward ok; perfect hard prediction: 1.192e-07 (grad norm 4.503e-08); confidently wrong hard prediction: 1.024e+04 (grad norm 22.63); empty mask predicted exactly empty: 1.073e-06 (grad norm 9.328e-08)
import torch
import torch.nn.functional as F


def bce_dice_loss(logits, target, smooth=1.0):
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="sum")
    probs = torch.sigmoid(logits)
    inter = (probs * target).sum()
    dice = (2.0 * inter + smooth) / (probs.sum() + target.sum() + smooth)
    return bce + 1.0 - dice
