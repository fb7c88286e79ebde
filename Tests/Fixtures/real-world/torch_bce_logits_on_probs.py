# BCEWithLogitsLoss fed the output of a final sigmoid: the loss can never reach its minimum.
# framework: torch
# input: probs
# expect: LD305
# verified: torch 2.15.0: loss_fn value 0.9319 on a 2x1x16x16 sigmoid batch, grad norm 0.02666, backward ok; perfect hard prediction: 0.6598 (grad norm 0.0214); confidently wrong hard prediction: 1.259 (grad norm 0.03154); empty mask predicted exactly empty: 0.6931 (grad norm 0.0221)
import torch.nn as nn

criterion = nn.BCEWithLogitsLoss()


def loss_fn(probs, masks):
    return criterion(probs, masks)
