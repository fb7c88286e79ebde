# Label maps with 255 on unlabelled pixels, but CrossEntropyLoss keeps its default ignore_index=-100:
# PyTorch raises "Target 255 is out of bounds" at the first batch (a device assert on GPU).
# framework: torch
# input: logits
# target: index
# classes: 3
# ignore-index: 255
# expect: LD603
# not-analysed
# verified: torch 2.15.0: seg_loss raises IndexError: Target 255 is out of bounds. on a 2x3x16x16 logits batch, index target with ignore 255
import torch.nn as nn

criterion = nn.CrossEntropyLoss()


def seg_loss(logits, target):
    return criterion(logits, target)
