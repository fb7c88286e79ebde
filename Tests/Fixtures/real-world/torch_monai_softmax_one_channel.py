# MONAI DiceLoss with softmax=True on a one-channel output: MONAI warns "single channel prediction,
# softmax=True ignored"; the raw logits are then used as probabilities.
# framework: torch
# input: logits
# target: binary
# expect: LD305
# verified: torch 2.15.0: loss value 0.9052 on a 2x1x16x16 logits batch, grad norm 0.2915, backward ok; perfect hard prediction: 1.235 (grad norm 0.002232); confidently wrong hard prediction: 1.232 (grad norm 0.002181); empty mask predicted exactly empty: 1 (grad norm 4.316e-12)
# known-issue: today LossDoctor misses LD305 (LD106 info 14:5 the gradient on confidently wrong predictions is 195.9 times smaller than on mildly wrong ones, as for e)
from monai.losses import DiceLoss

criterion = DiceLoss(softmax=True)


def loss(logits, mask):
    return criterion(logits, mask)
