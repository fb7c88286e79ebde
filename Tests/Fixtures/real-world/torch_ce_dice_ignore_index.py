# CE with ignore_index=255 plus a Dice restricted to labelled pixels (Cityscapes/VOC style):
# ignored pixels are masked out of both the prediction and the one-hot target.
# framework: torch
# input: logits
# target: index
# classes: 3
# ignore-index: 255
# expect: clean
# verified: torch 2.15.0: CEDiceLoss(num_classes=3) value 2.833 on a 2x3x16x16 logits batch, index target with ignore 255, grad norm 0.05062, backward ok; perfect hard prediction: 0 (grad norm 8.563e-19); confidently wrong hard prediction: 40.99 (grad norm 0.06455); empty mask predicted exactly empty: 0 (grad norm 4.42e-17)
import torch
import torch.nn as nn
import torch.nn.functional as F


class CEDiceLoss(nn.Module):
    def __init__(self, num_classes, ignore_index=255, smooth=1.0):
        super().__init__()
        self.num_classes = num_classes
        self.ignore_index = ignore_index
        self.smooth = smooth
        self.ce = nn.CrossEntropyLoss(ignore_index=ignore_index)

    def forward(self, logits, target):
        ce = self.ce(logits, target)
        valid = (target != self.ignore_index)
        safe = torch.where(valid, target, torch.zeros_like(target))
        onehot = F.one_hot(safe, self.num_classes).permute(0, 3, 1, 2).float()
        keep = valid.unsqueeze(1).float()
        probs = torch.softmax(logits, dim=1) * keep
        onehot = onehot * keep
        inter = (probs * onehot).sum((0, 2, 3))
        card = probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
        dice = (2.0 * inter + self.smooth) / (card + self.smooth)
        return ce + (1.0 - dice).mean()
