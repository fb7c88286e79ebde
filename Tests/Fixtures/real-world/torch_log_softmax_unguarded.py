# Multi-class focal loss that takes torch.log of the softmax: float32 softmax reaches exactly 0 for
# confident wrong classes and the log is -inf (log_softmax is the stable form).
# framework: torch
# input: logits
# target: one-hot
# classes: 3
# expect: LD203
# verified: torch 2.15.0: FocalLoss() value 0.5919 on a 2x3x16x16 logits batch, one-hot target, grad norm 0.01627, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 13.33 (grad norm 0.02083); empty mask predicted exactly empty: 0 (grad norm 0)
import torch
from torch import nn


class FocalLoss(nn.Module):
    def __init__(self, gamma=2.0):
        super().__init__()
        self.gamma = gamma

    def forward(self, pred, target):
        probas = pred.softmax(dim=1)
        return -(target * ((1 - probas) ** self.gamma) * probas.log()).mean()
