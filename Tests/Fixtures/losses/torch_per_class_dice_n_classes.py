# A per-class Dice loss whose constructor needs the number of classes: LossDoctor builds it with the
# probe's class count (n_classes=1 on binary probes) and reports it as constructed with that assumption.
# The per-sample statistics are pooled over the batch (LD403).
# expect: LD403 LD405
# verified: torch 2.15.0 CPU: ClassDice(n_classes=1)(probs, mask) is 0 on probs equal to the mask and the
#   shape assertion's message reads "predict torch.Size([2, 1, 4, 4]) & target torch.Size([2, 1, 4, 5]) shape do not match"
import torch
import torch.nn as nn


class ClassDice(nn.Module):
    def __init__(self, n_classes):
        super(ClassDice, self).__init__()
        self.n_classes = n_classes

    def _dice(self, score, target, smooth=1e-5):
        target = target.float()
        inter = torch.sum(score * target)
        return 1 - (2 * inter + smooth) / (torch.sum(score * score) + torch.sum(target * target) + smooth)

    def forward(self, inputs, target, weight=None):
        if weight is None:
            weight = [1] * self.n_classes
        assert inputs.size() == target.size(), "predict {} & target {} shape do not match".format(inputs.size(), target.size())
        loss = 0.0
        for i in range(self.n_classes):
            loss += self._dice(inputs[:, i], target[:, i]) * weight[i]
        return loss / self.n_classes
