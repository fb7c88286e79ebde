# One-hot via zeros_like(pred).scatter_(1, label, 1) and a Dice of squares with eps = 1e-10 only in
# the denominator: a class absent from an image, predicted absent, scores 0 instead of 1.
# framework: torch
# input: probs
# target: index
# classes: 3
# expect: LD303
# verified: torch 2.15.0: DiceLoss() value 0.711 on a 2x3x16x16 softmax batch, index target, grad norm 0.04394, backward ok; perfect hard prediction: 0 (grad norm 2.674e-09); confidently wrong hard prediction: 1 (grad norm 0.06754); empty mask predicted exactly empty: 0.6667 (grad norm 0)
import torch
import torch.nn as nn


class DiceLoss(nn.Module):
    def forward(self, output, target):
        target = torch.zeros_like(output).scatter_(1, target.unsqueeze(1), 1)
        dims = list(range(2, output.dim()))
        inter = 2.0 * (output * target).sum(dims)
        union = (output ** 2).sum(dims) + (target ** 2).sum(dims)
        return 1 - (inter / (union + 1e-10)).mean()
