# Focal loss for a two-channel head with per-class alpha gathered by the label (the classic
# FocalLoss(gamma, alpha=[a, 1 - a]) shape), log_softmax for stability.
# framework: torch
# input: logits
# target: index
# classes: 2
# expect: clean
# verified: torch 2.15.0: FocalLoss() value 0.2817 on a 2x2x16x16 logits batch, index target, grad norm 0.01365, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 11.76 (grad norm 0.02039); empty mask predicted exactly empty: 0 (grad norm 0)
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, gamma=2.0, alpha=0.25):
        super().__init__()
        self.gamma = gamma
        self.alpha = torch.tensor([alpha, 1 - alpha])

    def forward(self, logits, target):
        n, c = logits.shape[0], logits.shape[1]
        logp = F.log_softmax(logits, dim=1).permute(0, 2, 3, 1).reshape(-1, c)
        t = target.reshape(-1, 1)
        logpt = logp.gather(1, t).view(-1)
        pt = logpt.exp()
        at = self.alpha.gather(0, t.view(-1))
        return (-at * (1 - pt) ** self.gamma * logpt).mean()
