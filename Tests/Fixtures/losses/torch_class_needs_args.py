# A distillation loss whose constructor needs the teacher model: LossDoctor cannot choose a value for
# it, names the class and prints the command that would check it (`--function 'DistillBCELoss(teacher=...)'`).
# expect: LD603
# not-analysed
import torch
import torch.nn as nn
import torch.nn.functional as F


class DistillBCELoss(nn.Module):
    def __init__(self, teacher, temperature=2.0):
        super().__init__()
        self.teacher = teacher
        self.temperature = temperature

    def forward(self, logits, target):
        return F.binary_cross_entropy_with_logits(logits / self.temperature, target)
