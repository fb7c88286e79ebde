# kornia's multi-class focal loss on class-index targets (alpha 0.5, gamma 2, mean).
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: clean
# verified: torch 2.15.0: focal value 0.296 on a 2x3x16x16 logits batch, index target, grad norm 0.008134, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 6.667 (grad norm 0.01042); empty mask predicted exactly empty: 0 (grad norm 0)
import kornia


def focal(logits, labels):
    return kornia.losses.focal_loss(logits, labels, alpha=0.5, gamma=2.0, reduction="mean")
