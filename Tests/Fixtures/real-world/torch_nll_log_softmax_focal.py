# Softmax focal loss through NLLLoss: log_softmax scaled by (1 - p)^gamma, ignore label 255.
# framework: torch
# input: logits
# target: index
# classes: 3
# ignore-index: 255
# expect: clean
# verified: torch 2.15.0: SoftmaxFocalLoss() value 1.733 on a 2x3x16x16 logits batch, index target with ignore 255, grad norm 0.05036, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 40 (grad norm 0.06455); empty mask predicted exactly empty: 0 (grad norm 0)
import torch
import torch.nn as nn
import torch.nn.functional as F


class SoftmaxFocalLoss(nn.Module):
    def __init__(self, gamma=2.0, ignore_lb=255):
        super().__init__()
        self.gamma = gamma
        self.nll = nn.NLLLoss(ignore_index=ignore_lb)

    def forward(self, logits, labels):
        scores = F.softmax(logits, dim=1)
        factor = torch.pow(1.0 - scores, self.gamma)
        log_score = factor * F.log_softmax(logits, dim=1)
        return self.nll(log_score, labels)
