# clDice (Shit et al.) on sigmoid outputs: soft skeletons by iterated min/max pooling, plus soft Dice.
# framework: torch
# input: probs
# expect: clean
# verified: torch 2.15.0: SoftDiceClDice() value 0.8286 on a 2x1x16x16 sigmoid batch, grad norm 0.06701, backward ok; perfect hard prediction: 0 (grad norm 0.1626); confidently wrong hard prediction: 0.9402 (grad norm 0.05563); empty mask predicted exactly empty: 0 (grad norm 11.31)
import torch
import torch.nn as nn
import torch.nn.functional as F


def soft_erode(img):
    p1 = -F.max_pool2d(-img, (3, 1), (1, 1), (1, 0))
    p2 = -F.max_pool2d(-img, (1, 3), (1, 1), (0, 1))
    return torch.min(p1, p2)


def soft_dilate(img):
    return F.max_pool2d(img, (3, 3), (1, 1), (1, 1))


def soft_open(img):
    return soft_dilate(soft_erode(img))


def soft_skel(img, iterations):
    skel = F.relu(img - soft_open(img))
    for _ in range(iterations):
        img = soft_erode(img)
        delta = F.relu(img - soft_open(img))
        skel = skel + F.relu(delta - skel * delta)
    return skel


class SoftDiceClDice(nn.Module):
    def __init__(self, iterations=3, alpha=0.5, smooth=1.0):
        super().__init__()
        self.iterations = iterations
        self.alpha = alpha
        self.smooth = smooth

    def forward(self, y_pred, y_true):
        inter = (y_true * y_pred).sum()
        dice = 1.0 - (2.0 * inter + self.smooth) / (y_true.sum() + y_pred.sum() + self.smooth)
        skel_pred = soft_skel(y_pred, self.iterations)
        skel_true = soft_skel(y_true, self.iterations)
        tprec = ((skel_pred * y_true).sum() + self.smooth) / (skel_pred.sum() + self.smooth)
        tsens = ((skel_true * y_pred).sum() + self.smooth) / (skel_true.sum() + self.smooth)
        cl_dice = 1.0 - 2.0 * (tprec * tsens) / (tprec + tsens)
        return (1.0 - self.alpha) * dice + self.alpha * cl_dice
