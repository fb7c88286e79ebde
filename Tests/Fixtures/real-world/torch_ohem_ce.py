# OHEM cross-entropy: per-pixel CE, keep the hardest 25 % with topk, average them.
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: clean
# verified: torch 2.15.0: ohem_ce value 4.754 on a 2x3x16x16 logits batch, index target, grad norm 0.1169, backward ok; perfect hard prediction: 0 (grad norm 5.31e-19); confidently wrong hard prediction: 40 (grad norm 0.125); empty mask predicted exactly empty: 0 (grad norm 5.31e-19)
import torch
import torch.nn.functional as F


def ohem_ce(logits, target, keep_ratio=0.25):
    per_pixel = F.cross_entropy(logits, target, reduction="none").flatten()
    k = max(1, int(keep_ratio * per_pixel.numel()))
    hardest, _ = torch.topk(per_pixel, k)
    return hardest.mean()
