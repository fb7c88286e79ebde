# A class-balanced BCE on (N, H, W) maps (no channel axis). The weight reuses `w`, which the shape unpacking
# set to the image width: the loss is multiplied by the width, so its scale doubles with the resolution.
# framework: torch
# input: logits
# expect: LD402
# verified: torch 2.15.0: balanced_bce value 5.190 on a 2x16x16 logits batch, grad norm 0.1752, backward ok; target and logits upsampled 2x: 10.380 (x2.000); perfect (+-20 logits): 7.5e-09; on (2,1,16,16) it raises ValueError: too many values to unpack (expected 3)
# entry: balanced_bce
import torch.nn.functional as F


def balanced_bce(logits, mask, alpha=0.75):
    # One map per image, no channel axis: (N, H, W).
    n, h, w = logits.shape
    # Meant as the class-balance weight; `w` is still the image width when it is scaled here.
    w = w * (alpha * mask + (1 - alpha) * (1 - mask))
    return F.binary_cross_entropy_with_logits(logits, mask, weight=w)
