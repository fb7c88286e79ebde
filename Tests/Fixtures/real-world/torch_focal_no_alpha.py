# Binary focal loss as in Lin et al. without the alpha balance: the per-pixel BCE on logits scaled by
# (1 - p_t) ** gamma, p_t being the probability given to the true label.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: FocalBCE() value 0.7512 on a 2x1x16x16 logits batch, grad norm 0.02797, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 20 (grad norm 0.04419); empty mask predicted exactly empty: 0 (grad norm 0); equals the textbook -(1 - p_t)^2 log p_t to 1.788e-07 on that batch, where plain BCE is 1.116
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalBCE(nn.Module):
    def __init__(self, gamma=2.0):
        super().__init__()
        self.gamma = gamma

    def forward(self, logits, mask):
        bce = F.binary_cross_entropy_with_logits(logits, mask, reduction="none")
        prob = torch.sigmoid(logits)
        p_t = torch.where(mask > 0.5, prob, 1.0 - prob)
        return ((1.0 - p_t) ** self.gamma * bce).mean()
