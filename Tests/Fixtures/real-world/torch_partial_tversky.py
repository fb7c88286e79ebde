# The loss handed to the trainer is a functools.partial binding Tversky's weights.
# framework: torch
# input: logits
# entry: criterion
# expect: clean
# verified: torch 2.15.0: criterion value 0.7571 on a 2x1x16x16 logits batch, grad norm 0.009028, backward ok; perfect hard prediction: 0 (grad norm 2.905e-10); confidently wrong hard prediction: 0.9942 (grad norm 7.997e-11); empty mask predicted exactly empty: 3.576e-07 (grad norm 1.399e-08)
from functools import partial

import torch


def tversky_loss(logits, target, alpha=0.5, beta=0.5, smooth=1.0):
    p = torch.sigmoid(logits)
    tp = (p * target).sum()
    fp = (p * (1 - target)).sum()
    fn = ((1 - p) * target).sum()
    return 1 - (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)


criterion = partial(tversky_loss, alpha=0.3, beta=0.7)
