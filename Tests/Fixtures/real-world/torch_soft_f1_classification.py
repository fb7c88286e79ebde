# A macro soft F1 for a classifier: (N, C) logits and (N,) labels, one-hot through F.one_hot, F1 per class
# over the batch. Written for classification, so image-shaped batches raise (the one-hot lands channels-last
# next to channels-first scores); LossDoctor probes it with classification rows. A class absent from the
# batch has tp = 0 and an F1 of 0 / (0 + eps) = 0 however it is predicted: its term costs the maximum.
# framework: torch
# expect: LD303
# verified: torch 2.15.0: (4, 3, 8, 8) logits with (4, 8, 8) labels raise RuntimeError (size of tensor a (8) must match the size of tensor b (3) at non-singleton dimension 3); on (256, 3) rows every label 0, a confident correct prediction (logit +10 on class 0) gives 0.6667 (classes 1 and 2 cost 1 each), with all three classes present 0
import torch
import torch.nn.functional as F
from torch import nn


class MacroSoftF1Loss(nn.Module):
    def __init__(self, eps=1e-6):
        super().__init__()
        self.eps = eps

    def forward(self, logits, labels):
        probs = logits.softmax(dim=1)
        onehot = F.one_hot(labels, probs.size(1)).float()
        tp = (probs * onehot).sum(dim=0)
        fp = (probs * (1 - onehot)).sum(dim=0)
        fn = ((1 - probs) * onehot).sum(dim=0)
        f1 = 2 * tp / (2 * tp + fp + fn + self.eps)
        return (1 - f1).mean()
