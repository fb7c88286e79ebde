# Focal loss that logs sigmoid(logits) itself: in float32 sigmoid saturates to 0/1 and the log is -inf
# (F.logsigmoid or BCE with logits is the stable form); confident logits give nan.
# framework: torch
# input: logits
# expect: LD201 LD203
# verified: torch 2.15.0: focal_loss value 0.6756 on a 2x1x16x16 logits batch, grad norm 0.02689, backward ok; perfect hard prediction: nan (grad NOT finite); confidently wrong hard prediction: inf (grad NOT finite); empty mask predicted exactly empty: 0 (grad norm 0)
import torch


def focal_loss(logits, target, gamma=2.0):
    p = torch.sigmoid(logits)
    pos = -target * (1 - p) ** gamma * torch.log(p)
    neg = -(1 - target) * p ** gamma * torch.log(1 - p)
    return (pos + neg).mean()
