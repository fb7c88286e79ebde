# Both prediction and target thresholded with .ge() and cast back to float: no graph remains.
# framework: torch
# expect: LD102 LD501
# verified: torch 2.15.0: BinaryDiceLoss() value 0.8207 on a 2x1x16x16 sigmoid batch, grad None: the result does not require grad; perfect hard prediction: 0; confidently wrong hard prediction: 1; empty mask predicted exactly empty: 0
import torch
from torch import nn

THRESH = 0.5


class BinaryDiceLoss(nn.Module):
    def __init__(self, eps=1e-6):
        super().__init__()
        self.eps = eps

    def forward(self, y_pred, y_true):
        y_pred = torch.flatten(y_pred).ge(THRESH).to(torch.float32)
        y_true = torch.flatten(y_true).ge(THRESH).to(torch.float32)
        inter = torch.sum(y_pred * y_true)
        score = (2.0 * inter + self.eps) / (torch.sum(y_pred + y_true) + self.eps)
        return 1.0 - score
