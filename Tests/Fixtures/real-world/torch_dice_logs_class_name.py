# A binary soft Dice on logits whose constructor announces itself with self.__class__.__name__ (the
# logging idiom of several research repositories); the loss itself is a per-image smoothed Dice.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: LoggedSoftDice() value 0.8762 on a 2x1x16x16 logits batch, grad norm 0.006303, backward ok; perfect hard prediction: 0 (grad norm 6.842e-10); confidently wrong hard prediction: 0.9961 (grad norm 4.528e-11); empty mask predicted exactly empty: 4.768e-07 (grad norm 2.332e-08); the constructor prints "LoggedSoftDice set up, smooth=1.0"
import torch
import torch.nn as nn


class LoggedSoftDice(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth
        self.label = self.__class__.__name__
        print(f"{self.label} set up, smooth={smooth}")

    def forward(self, logits, target):
        p = torch.sigmoid(logits)
        inter = (p * target).sum(dim=(1, 2, 3))
        total = p.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3))
        return (1.0 - (2.0 * inter + self.smooth) / (total + self.smooth)).mean()
