# Boundary loss (Kervadec et al.) plus Dice: the signed distance map of the target is computed with
# scipy.ndimage.distance_transform_edt (target only, no gradient needed) and multiplied by the probabilities.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: boundary_dice_loss value 0.8499 on a 2x1x16x16 logits batch, grad norm 0.006706, backward ok; perfect hard prediction: -0.0004102 (grad norm 4.941e-10); confidently wrong hard prediction: 1.047 (grad norm 5.398e-11); empty mask predicted exactly empty: 1.073e-06 (grad norm 4.664e-08)
import numpy as np
import torch
from scipy.ndimage import distance_transform_edt


def signed_distance(mask):
    out = np.zeros_like(mask)
    for i in range(mask.shape[0]):
        fg = mask[i, 0] > 0.5
        if fg.any():
            out[i, 0] = distance_transform_edt(~fg) - (distance_transform_edt(fg) - 1) * fg
    return out


def boundary_dice_loss(logits, target, alpha=0.01, smooth=1.0):
    probs = torch.sigmoid(logits)
    dist = torch.from_numpy(signed_distance(target.cpu().numpy())).to(probs.dtype)
    boundary = (probs * dist).mean()
    inter = (probs * target).sum()
    dice = 1 - (2 * inter + smooth) / (probs.sum() + target.sum() + smooth)
    return dice + alpha * boundary
