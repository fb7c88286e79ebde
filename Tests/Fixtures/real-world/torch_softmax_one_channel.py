# A binary model (one output channel) passed through softmax over dim=1: softmax of a single
# channel is the constant 1, so the Dice never changes and nothing is learned.
# framework: torch
# input: logits
# target: binary
# expect: LD311 LD501
# verified: torch 2.15.0: DiceLoss() value 0.8397 on a 2x1x16x16 logits batch, grad norm 0, backward ok; perfect hard prediction: 0.8397 (grad norm 0); confidently wrong hard prediction: 0.8397 (grad norm 0); empty mask predicted exactly empty: 0.9961 (grad norm 0)
# known-issue: today LossDoctor misses LD311 LD501; also errors LD504 (LD504 error 13:7 the simulated model predicts background (almost) everywhere from step 28 to the end of its 30 steps: va)
import torch
import torch.nn as nn


class DiceLoss(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, target):
        probs = torch.softmax(logits, dim=1)
        inter = (probs * target).sum((2, 3))
        card = probs.sum((2, 3)) + target.sum((2, 3))
        return 1.0 - ((2.0 * inter + self.smooth) / (card + self.smooth)).mean()
