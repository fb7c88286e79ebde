# F.binary_cross_entropy(target, pred): the log is taken of the hard target (clamped at -100).
# framework: torch
# expect: LD306
# verified: torch 2.15.0: bce_loss value 48.21 on a 2x1x16x16 sigmoid batch, grad norm inf, backward ok; perfect hard prediction: 0 (grad NOT finite); confidently wrong hard prediction: 100 (grad NOT finite); empty mask predicted exactly empty: 0 (grad NOT finite)
import torch.nn.functional as F


def bce_loss(pred, target):
    return F.binary_cross_entropy(target, pred)
