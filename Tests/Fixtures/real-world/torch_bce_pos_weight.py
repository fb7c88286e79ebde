# BCEWithLogitsLoss with pos_weight for sparse foreground.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: loss_fn value 1.195 on a 2x1x16x16 logits batch, grad norm 0.03264, backward ok; perfect hard prediction: 5.435e-10 (grad norm 8.7e-11); confidently wrong hard prediction: 23.52 (grad norm 0.05768); empty mask predicted exactly empty: 0 (grad norm 9.109e-11)
import torch
import torch.nn as nn

criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0]))


def loss_fn(logits, masks):
    return criterion(logits, masks)
