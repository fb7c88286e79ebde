# Per-class Dice weights registered as a buffer; class-index targets, softmax over channels.
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: clean
# verified: torch 2.15.0: WeightedDiceLoss() value 0.8301 on a 2x3x16x16 logits batch, index target, grad norm 0.008013, backward ok; perfect hard prediction: 0 (grad norm 7.679e-19); confidently wrong hard prediction: 0.9939 (grad norm 2.909e-19); empty mask predicted exactly empty: 0 (grad norm 6.181e-17)
import torch
import torch.nn as nn
import torch.nn.functional as F


class WeightedDiceLoss(nn.Module):
    def __init__(self, class_weights=(0.2, 1.0, 1.0), smooth=1.0):
        super().__init__()
        self.register_buffer("class_weights", torch.tensor(class_weights))
        self.smooth = smooth

    def forward(self, logits, target):
        probs = F.softmax(logits, dim=1)
        onehot = F.one_hot(target, probs.shape[1]).permute(0, 3, 1, 2).float()
        inter = (probs * onehot).sum(dim=(0, 2, 3))
        card = (probs + onehot).sum(dim=(0, 2, 3))
        dice = (2 * inter + self.smooth) / (card + self.smooth)
        w = self.class_weights / self.class_weights.sum()
        return (w * (1 - dice)).sum()
