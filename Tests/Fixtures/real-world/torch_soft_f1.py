# Soft F1 from soft tp/fp/fn per image (equal to a soft Dice), on logits.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: soft_f1_loss value 0.8332 on a 2x1x16x16 logits batch, grad norm 0.00616, backward ok; perfect hard prediction: 0 (grad norm 8.778e-10); confidently wrong hard prediction: 0.9961 (grad norm 5.37e-11); empty mask predicted exactly empty: 4.768e-07 (grad norm 2.332e-08)
import torch


def soft_f1_loss(logits, target, eps=1.0):
    p = torch.sigmoid(logits)
    tp = (p * target).sum((1, 2, 3))
    fp = (p * (1 - target)).sum((1, 2, 3))
    fn = ((1 - p) * target).sum((1, 2, 3))
    f1 = (2 * tp + eps) / (2 * tp + fp + fn + eps)
    return (1 - f1).mean()
