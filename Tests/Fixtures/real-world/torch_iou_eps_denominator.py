# IoU with 1e-6 only in the denominator, per image: an empty image predicted empty costs the maximum.
# framework: torch
# expect: LD303
# verified: torch 2.15.0: iou_loss value 0.91 on a 2x1x16x16 sigmoid batch, grad norm 0.02512, backward ok; perfect hard prediction: 5.96e-08 (grad norm 0.9162); confidently wrong hard prediction: 1 (grad norm 0.0131); empty mask predicted exactly empty: 1 (grad norm 0)
import torch


def iou_loss(pred, target):
    inter = (pred * target).sum((1, 2, 3))
    union = (pred + target).sum((1, 2, 3)) - inter
    return (1 - inter / (union + 1e-6)).mean()
