# Matthews correlation coefficient loss (smp MCCLoss shape) on sigmoid probabilities.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: mcc_loss value 0.9572 on a 2x1x16x16 logits batch, grad norm 0.01351, backward ok; perfect hard prediction: 2.98e-07 (grad norm 5.426e-10); confidently wrong hard prediction: 2 (grad norm 1.684e-10); empty mask predicted exactly empty: 0.5127 (grad norm 0.0005397)
import torch


def mcc_loss(logits, target, eps=1e-5):
    p = torch.sigmoid(logits)
    tp = (p * target).sum() + eps
    tn = ((1 - p) * (1 - target)).sum() + eps
    fp = (p * (1 - target)).sum() + eps
    fn = ((1 - p) * target).sum() + eps
    num = tp * tn - fp * fn
    den = torch.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return 1.0 - num / den
