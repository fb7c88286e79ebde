# Softmax probabilities and one-hot labels flattened together, background included: one pooled overlap
# dominated by the background, so an all-background prediction already scores well. LD312 classes-pooled
# is the rule for exactly this defect; the trivial solution (LD304) follows from it and is folded into it.
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: LD312 LD504
# verified: torch 2.15.0: dice_loss value 0.6894 on a 2x3x16x16 logits batch, index target, grad norm 0.008575, backward ok; perfect hard prediction: 0 (grad norm 2.653e-19); confidently wrong hard prediction: 0.999 (grad norm 1.876e-19); empty mask predicted exactly empty: 0 (grad norm 2.653e-19); real training (Scripts/validate-simulation.py: a 5.9k-parameter U-Net, Adam 1e-3, 300 steps, torch 2.15.0+cu132, 2026-12-07): the model ends predicting background everywhere (validation Dice 0.000, 0 % foreground predicted) while cross-entropy + Dice reaches 0.845 (LD504)
import torch
import torch.nn.functional as F


def dice_loss(logits, target, smooth=1.0):
    probs = torch.softmax(logits, dim=1).flatten()
    onehot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).float().flatten()
    inter = (probs * onehot).sum()
    return 1 - (2 * inter + smooth) / (probs.sum() + onehot.sum() + smooth)
