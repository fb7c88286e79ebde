# Class weights computed from the label map inside `with torch.no_grad():` (target only), then a
# weighted CE on the logits. The code is sound; weights of about 1/(3 x frequency) make the rare classes
# win wherever in doubt, and training over-segments (LD502).
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: LD502
# verified: torch 2.15.0: balanced_ce value 2.019 on a 2x3x16x16 logits batch, index target, grad norm 0.07029, backward ok; perfect hard prediction: 0 (grad norm 4.311e-19); confidently wrong hard prediction: 40 (grad norm 0.1015); empty mask predicted exactly empty: 0 (grad norm 2.655e-19); real training (Scripts/validate-simulation.py: a 5.9k-parameter U-Net, Adam 1e-3, 300 steps, torch 2.15.0+cu132, 2026-12-07): validation Dice reaches 0.5 at step 90, then the inverse-frequency weights make the model over-segment: it ends at 0.382 with 14.3 % of the pixels predicted foreground, against 0.845 for cross-entropy + Dice (LD502)
import torch
import torch.nn.functional as F


def balanced_ce(logits, target):
    num_classes = logits.shape[1]
    with torch.no_grad():
        counts = torch.bincount(target.flatten(), minlength=num_classes).float()
        weights = counts.sum() / (num_classes * counts.clamp(min=1.0))
    return F.cross_entropy(logits, target, weight=weights)
