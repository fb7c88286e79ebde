# MONAI DiceLoss on 3-class volumes: softmax, one-hot of (N, 1, D, H, W) labels, background excluded.
# framework: torch
# input: logits
# volume: 3d
# target: index
# classes: 3
# expect: clean
# verified: torch 2.15.0: volume_loss value 0.8645 on a 2x3x4x16x16 logits batch, index target, grad norm 0.004111, backward ok; perfect hard prediction: 0 (grad norm 9.58e-19); confidently wrong hard prediction: 1 (grad norm 2.725e-19); empty mask predicted exactly empty: 0 (grad norm 1.177e-11)
from monai.losses import DiceLoss

dice = DiceLoss(include_background=False, to_onehot_y=True, softmax=True)


def volume_loss(logits, labels):
    return dice(logits, labels.unsqueeze(1))
