# The prediction is detached (copied from a metric) before the Dice: no gradient reaches the model.
# framework: torch
# input: logits
# expect: LD107 LD501
# verified: torch 2.15.0: dice_loss value 0.8332 on a 2x1x16x16 logits batch, grad None: the result does not require grad; perfect hard prediction: 0; confidently wrong hard prediction: 0.9961; empty mask predicted exactly empty: 4.768e-07
import torch


def dice_loss(logits, target, smooth=1.0):
    probs = torch.sigmoid(logits).detach()
    inter = (probs * target).sum((1, 2, 3))
    card = probs.sum((1, 2, 3)) + target.sum((1, 2, 3))
    return (1.0 - (2.0 * inter + smooth) / (card + smooth)).mean()
