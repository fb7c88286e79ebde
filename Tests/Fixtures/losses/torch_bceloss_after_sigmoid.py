# nn.BCELoss on sigmoid(logits): works, but float32 saturates where the with-logits form does not.
# LD405: PyTorch's -100 clamp makes its BCE range 98.75 where Keras' is 15.95.
# expect: LD203 LD405
import torch
import torch.nn as nn


class SigmoidBCELoss(nn.Module):
    def __init__(self):
        super().__init__()
        self.bce = nn.BCELoss()

    def forward(self, logits, target):
        return self.bce(torch.sigmoid(logits), target)
