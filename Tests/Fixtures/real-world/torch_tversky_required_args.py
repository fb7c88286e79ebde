# A Tversky module whose constructor requires alpha and beta (no defaults), on logits.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: TverskyLoss(alpha=0.5, beta=0.5) value 0.8275 on a 2x1x16x16 logits batch, grad norm 0.006125, backward ok; perfect hard prediction: 0 (grad norm 8.358e-10); confidently wrong hard prediction: 0.9922 (grad norm 5.338e-11); empty mask predicted exactly empty: 2.384e-07 (grad norm 1.166e-08)
import torch
import torch.nn as nn


class TverskyLoss(nn.Module):
    def __init__(self, alpha, beta, smooth=1.0):
        super(TverskyLoss, self).__init__()
        self.alpha = alpha
        self.beta = beta
        self.smooth = smooth

    def forward(self, logits, target):
        p = torch.sigmoid(logits)
        tp = (p * target).sum((1, 2, 3))
        fp = (p * (1 - target)).sum((1, 2, 3))
        fn = ((1 - p) * target).sum((1, 2, 3))
        return (1 - (tp + self.smooth) / (tp + self.alpha * fp + self.beta * fn + self.smooth)).mean()
