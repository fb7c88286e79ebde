# The IoU coefficient returned as the loss (the `1 -` forgotten): minimising it empties the masks.
# framework: torch
# input: logits
# expect: LD301
# verified: torch 2.15.0: iou_loss value 0.09669 on a 2x1x16x16 logits batch, grad norm 0.003841, backward ok; perfect hard prediction: 1 (grad norm 1.672e-09); confidently wrong hard prediction: 0.003891 (grad norm 2.69e-11); empty mask predicted exactly empty: 1 (grad norm 2.332e-08)
# known-issue: today LossDoctor also warns LD502 (LD301 error 10:5 the loss falls from 1 at the perfect prediction to 0.0002441 at the inverted one: it rewards worse pred)
import torch


def iou_loss(logits, target, smooth=1.0):
    p = torch.sigmoid(logits)
    inter = (p * target).sum((1, 2, 3))
    union = (p + target).sum((1, 2, 3)) - inter
    return ((inter + smooth) / (union + smooth)).mean()
