# Satellite-imagery style: BCE on logits minus weight * log(soft Jaccard), Jaccard with eps.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: LossBinary() value 1.727 on a 2x1x16x16 logits batch, grad norm 0.03252, backward ok; perfect hard prediction: 1.812e-10 (grad norm 3.775e-10); confidently wrong hard prediction: 21.87 (grad norm 0.04419); empty mask predicted exactly empty: 3.219e-07 (grad norm 1.408e-08)
import torch
from torch import nn


class LossBinary:
    def __init__(self, jaccard_weight=0.3):
        self.nll_loss = nn.BCEWithLogitsLoss()
        self.jaccard_weight = jaccard_weight

    def __call__(self, outputs, targets):
        loss = self.nll_loss(outputs, targets)
        eps = 1.0
        jaccard_target = (targets == 1).float()
        jaccard_output = torch.sigmoid(outputs)
        inter = (jaccard_output * jaccard_target).sum()
        union = jaccard_output.sum() + jaccard_target.sum()
        return loss - self.jaccard_weight * torch.log((inter + eps) / (union - inter + eps))
