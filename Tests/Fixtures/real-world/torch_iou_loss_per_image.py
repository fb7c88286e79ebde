# Soft IoU (Rahman & Wang) per image on the sigmoid of the logits, averaged over the batch.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: IoULoss() value 0.9033 on a 2x1x16x16 logits batch, grad norm 0.003841, backward ok; perfect hard prediction: 0 (grad norm 1.672e-09); confidently wrong hard prediction: 0.9961 (grad norm 2.69e-11); empty mask predicted exactly empty: 4.768e-07 (grad norm 2.332e-08)
import torch
import torch.nn as nn


class IoULoss(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, inputs, targets):
        probs = torch.sigmoid(inputs)
        n = probs.size(0)
        p = probs.reshape(n, -1)
        t = targets.reshape(n, -1)
        inter = (p * t).sum(1)
        union = (p + t).sum(1) - inter
        return (1.0 - (inter + self.smooth) / (union + self.smooth)).mean()
