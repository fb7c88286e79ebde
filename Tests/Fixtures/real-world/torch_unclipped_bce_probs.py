# Hand-written BCE on probabilities with torch.log and no clamp: log(0) on a saturated output.
# framework: torch
# expect: LD201 LD202
# verified: torch 2.15.0: bce value 1.025 on a 2x1x16x16 sigmoid batch, grad norm 1.216, backward ok; perfect hard prediction: nan (grad NOT finite); confidently wrong hard prediction: inf (grad NOT finite); empty mask predicted exactly empty: nan (grad NOT finite)
import torch


def bce(pred, target):
    return -(target * torch.log(pred) + (1 - target) * torch.log(1 - pred)).mean()
