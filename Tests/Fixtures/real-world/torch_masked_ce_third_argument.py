# A cross-entropy over the pixels a third tensor marks valid: forward(logits, target, mask). LossDoctor
# passes a mask that is all true, so the loss is judged on every pixel.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: (2, 3, 4, 4) logits, (2, 4, 4) labels, an all-true mask: equals F.cross_entropy (1.7511 on torch.manual_seed(0) randn logits and randint labels); a mask of the top half of the rows gives 1.7045, F.cross_entropy of those rows alone
import torch
from torch import nn


class ValidPixelCrossEntropy(nn.Module):
    def __init__(self):
        super().__init__()
        self.ce = nn.CrossEntropyLoss(reduction="none")

    def forward(self, logits, target, mask):
        per_pixel = self.ce(logits, target)
        return per_pixel[mask == 1].mean()
