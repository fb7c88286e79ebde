# nn.BCELoss(reduction="sum") on probabilities: grows with image size and batch size.
# framework: torch
# expect: LD401 LD402
# verified: torch 2.15.0: loss value 524.6 on a 2x1x16x16 sigmoid batch, grad norm 622.7, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 5.12e+04 (grad norm 2.263e+13); empty mask predicted exactly empty: 0 (grad norm 0)
import torch.nn as nn

bce = nn.BCELoss(reduction="sum")


def loss(pred, target):
    return bce(pred, target)
