# MONAI DiceCELoss for a 3-class softmax network with one-hot conversion of (N, 1, H, W) labels.
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: clean
# verified: torch 2.15.0: loss_fn value 2.881 on a 2x3x16x16 logits batch, index target, grad norm 0.04886, backward ok; perfect hard prediction: 0 (grad norm 1.1e-18); confidently wrong hard prediction: 41 (grad norm 0.0625); empty mask predicted exactly empty: 0 (grad norm 2.266e-12)
import torch
from monai.losses import DiceCELoss

dice_ce = DiceCELoss(to_onehot_y=True, softmax=True)


def loss_fn(logits, labels):
    return dice_ce(logits, labels.unsqueeze(1))
