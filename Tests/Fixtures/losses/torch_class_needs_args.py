# A loss class whose constructor needs an argument: LossDoctor cannot build it on its own
# (`--function 'WeightedBCELoss(2.0)'` would).
# expect: LD603
# not-analysed
import torch
import torch.nn as nn
import torch.nn.functional as F


class WeightedBCELoss(nn.Module):
    def __init__(self, pos_weight):
        super().__init__()
        self.pos_weight = torch.tensor(pos_weight)

    def forward(self, logits, target):
        return F.binary_cross_entropy_with_logits(logits, target, pos_weight=self.pos_weight)
