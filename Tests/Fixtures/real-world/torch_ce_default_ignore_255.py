# Label maps with 255 on unlabelled pixels, but CrossEntropyLoss keeps its default ignore_index=-100:
# PyTorch raises "Target 255 is out of bounds" at the first batch (a device assert on GPU).
# framework: torch
# input: logits
# target: index
# classes: 3
# ignore-index: 255
# expect: LD603
# verified: torch 2.15.0: seg_loss raises IndexError: Target 255 is out of bounds. on a 2x3x16x16 logits batch, index target with ignore 255
# known-issue: today LossDoctor misses LD603; also errors LD103 (`*` makes the gradient exactly zero on all 30 soft probes: the loss cannot train), LD501 (validation loss stays at 0 for all 30 steps of the simulated run and validation ); also warns LD105 (the loss takes only 1 distinct values along the 65-step sweep perfect->inverted ), LD303 (on an empty target, predicting all foreground costs 0, no more than the empty pr), LD307 (`reduce_sum` over axis 1 of shape (4, 1, 64, 64) reduces nothing: the loss is co)
import torch.nn as nn

criterion = nn.CrossEntropyLoss()


def seg_loss(logits, target):
    return criterion(logits, target)
