# Plain CrossEntropyLoss with class weights and label smoothing for a 4-class label map.
# framework: torch
# input: logits
# target: index
# classes: 4
# expect: clean
# verified: torch 2.15.0: seg_ce value 2.568 on a 2x4x16x16 logits batch, index target, grad norm 0.06454, backward ok; perfect hard prediction: 5.123 (grad norm 0.006705); confidently wrong hard prediction: 42.24 (grad norm 0.09068); empty mask predicted exactly empty: 10 (grad norm 0.01296)
import torch
import torch.nn as nn

class_weights = torch.tensor([0.2, 1.0, 1.0, 2.0])
criterion = nn.CrossEntropyLoss(weight=class_weights, label_smoothing=0.05)


def seg_ce(logits, target):
    return criterion(logits, target)
