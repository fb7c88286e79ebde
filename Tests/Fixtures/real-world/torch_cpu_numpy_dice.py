# .detach().cpu().numpy() to compute the Dice in NumPy, then back to a tensor: the graph is gone.
# framework: torch
# expect: LD107 LD501
# verified: torch 2.15.0: dice_loss value 0.8272 on a 2x1x16x16 sigmoid batch, grad None; perfect hard prediction: 0 (grad None); confidently wrong hard prediction: 0.9981 (grad None); empty mask predicted exactly empty: 0 (grad None)
import numpy as np
import torch


def dice_loss(pred, target, smooth=1.0):
    p = pred.detach().cpu().numpy()
    t = target.cpu().numpy()
    dice = (2.0 * np.sum(p * t) + smooth) / (np.sum(p) + np.sum(t) + smooth)
    return torch.tensor(1.0 - dice, requires_grad=True)
