# The logits are squashed twice: a sigmoid, then a with-logits loss that applies its own.
# expect: LD106 LD304 LD305 LD405
import torch
import torch.nn as nn
import torch.nn.functional as F


class BCELogitsLoss(nn.Module):
    def forward(self, logits, target):
        probs = torch.sigmoid(logits)
        return F.binary_cross_entropy_with_logits(probs, target)
