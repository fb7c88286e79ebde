# Shape checks with assert and an f-string message before an IoU loss on probabilities.
# framework: torch
# expect: clean
# verified: torch 2.15.0: iou_loss value 0.9033 on a 2x1x16x16 sigmoid batch, grad norm 0.02507, backward ok; perfect hard prediction: 0 (grad norm 0.8287); confidently wrong hard prediction: 0.9961 (grad norm 0.01305); empty mask predicted exactly empty: 0 (grad norm 11.31)
import torch


def iou_loss(pred, target, smooth=1.0):
    assert pred.shape == target.shape, f"prediction {tuple(pred.shape)} and target {tuple(target.shape)} differ"
    inter = (pred * target).sum((1, 2, 3))
    union = (pred + target - pred * target).sum((1, 2, 3))
    return (1 - (inter + smooth) / (union + smooth)).mean()
