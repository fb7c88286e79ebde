# A scratch Dice with 1e-8 only in the denominator: a correct empty prediction costs 1.
# framework: torch
# expect: LD303
# verified: torch 2.15.0: DiceLoss() value 0.83 on a 2x1x16x16 sigmoid batch, grad norm 0.04309, backward ok; perfect hard prediction: 0 (grad norm 0.2514); confidently wrong hard prediction: 1 (grad norm 0.0262); empty mask predicted exactly empty: 1 (grad norm 0)
import torch


class DiceLoss(torch.nn.Module):
    def forward(self, pred, mask):
        pred = torch.flatten(pred)
        mask = torch.flatten(mask)
        overlap = (pred * mask).sum()
        return 1 - 2 * overlap / (pred.sum() + mask.sum() + 1e-8)
