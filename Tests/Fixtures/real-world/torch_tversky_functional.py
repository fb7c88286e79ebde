# Functional Tversky for polyp segmentation: sigmoid, flatten, alpha on false positives.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: tversky_loss value 0.7571 on a 2x1x16x16 logits batch, grad norm 0.009028, backward ok; perfect hard prediction: 0 (grad norm 2.905e-10); confidently wrong hard prediction: 0.9942 (grad norm 7.997e-11); empty mask predicted exactly empty: 3.576e-07 (grad norm 1.399e-08)
import torch


def tversky_loss(pred, mask, alpha=0.3, beta=0.7, smooth=1.0):
    p = torch.sigmoid(pred).view(-1)
    m = mask.view(-1)
    tp = (p * m).sum()
    fp = ((1 - m) * p).sum()
    fn = (m * (1 - p)).sum()
    return 1 - (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)
