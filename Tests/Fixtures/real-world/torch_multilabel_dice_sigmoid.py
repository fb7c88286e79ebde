# Multi-label Dice (one sigmoid per channel, channels may overlap), per image and channel.
# framework: torch
# input: logits
# target: one-hot
# classes: 3
# expect: clean
# verified: torch 2.15.0: MultiLabelDice() value 0.702 on a 2x3x16x16 logits batch, one-hot target, grad norm 0.004055, backward ok; perfect hard prediction: 0 (grad norm 3.448e-10); confidently wrong hard prediction: 0.9883 (grad norm 1.338e-10); empty mask predicted exactly empty: 3.179e-07 (grad norm 1.099e-08)
import torch
import torch.nn as nn


class MultiLabelDice(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, masks):
        probs = torch.sigmoid(logits)
        inter = (probs * masks).sum(dim=(2, 3))
        card = probs.sum(dim=(2, 3)) + masks.sum(dim=(2, 3))
        return (1.0 - (2.0 * inter + self.smooth) / (card + self.smooth)).mean()
