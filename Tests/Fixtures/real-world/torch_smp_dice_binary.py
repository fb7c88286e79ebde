# Using the library: segmentation_models_pytorch's DiceLoss in binary mode on logits, plus BCE.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: criterion value 1.855 on a 2x1x16x16 logits batch, grad norm 0.02878, backward ok; perfect hard prediction: 1.812e-10 (grad norm 5.819e-10); confidently wrong hard prediction: 21 (grad norm 0.04419); empty mask predicted exactly empty: 0 (grad norm 9.109e-11)
import segmentation_models_pytorch as smp
import torch.nn as nn

dice = smp.losses.DiceLoss(mode="binary", from_logits=True)
bce = nn.BCEWithLogitsLoss()


def criterion(logits, masks):
    return dice(logits, masks) + bce(logits, masks)
