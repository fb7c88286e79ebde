# Multi-class focal loss whose constructor requires num_classes: one_hot of the label map, softmax
# probabilities, alpha 0.25, gamma 2, mean over pixels. The clamped softmax is then logged: on a confidently
# wrong prediction the clamp holds and the gradient is exactly 0 in real torch (the verified line), so the
# model cannot recover from confident mistakes: LD203 (log_softmax is the fix), not clean as first labelled.
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: LD203
# verified: torch 2.15.0: FocalLoss(num_classes=3) value 0.4439 on a 2x3x16x16 logits batch, index target, grad norm 0.0122, backward ok; perfect hard prediction: 4.235e-22 (grad norm 0); confidently wrong hard prediction: 4.03 (grad norm 0); empty mask predicted exactly empty: 4.235e-22 (grad norm 0)
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, num_classes, alpha=0.25, gamma=2.0, eps=1e-7):
        super().__init__()
        self.num_classes = num_classes
        self.alpha = alpha
        self.gamma = gamma
        self.eps = eps

    def forward(self, logits, target):
        probs = F.softmax(logits, dim=1).clamp(self.eps, 1.0 - self.eps)
        onehot = F.one_hot(target, self.num_classes).permute(0, 3, 1, 2).float()
        loss = -self.alpha * onehot * (1 - probs) ** self.gamma * torch.log(probs)
        return loss.sum(dim=1).mean()
