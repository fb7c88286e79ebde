# smp-style JaccardLoss with log_loss=True: -log of the soft IoU, clamped away from zero, pooled over the
# batch, with classes absent from the target masked out: on a batch of empty images every prediction
# costs 0, so false positives there get no gradient.
# framework: torch
# input: logits
# expect: LD303
# verified: torch 2.15.0: JaccardLogLoss() value 2.376 on a 2x1x16x16 logits batch, grad norm 0.0423, backward ok; perfect hard prediction: 0 (grad norm 9.898e-10); confidently wrong hard prediction: 16.12 (grad norm 0); empty mask predicted exactly empty: 0 (grad norm 0)
import torch
import torch.nn as nn


class JaccardLogLoss(nn.Module):
    def __init__(self, smooth=0.0, eps=1e-7):
        super().__init__()
        self.smooth = smooth
        self.eps = eps

    def forward(self, y_pred, y_true):
        p = torch.sigmoid(y_pred).view(y_pred.size(0), 1, -1)
        t = y_true.view(y_true.size(0), 1, -1)
        inter = (p * t).sum(dim=(0, 2))
        union = (p + t).sum(dim=(0, 2)) - inter
        iou = (inter + self.smooth) / (union + self.smooth).clamp_min(self.eps)
        loss = -torch.log(iou.clamp_min(self.eps))
        present = t.sum(dim=(0, 2)) > 0
        return (loss * present.float()).mean()
