# A soft Dice on (N, H, W) maps: the model's one channel is squeezed before the loss, and the loss unpacks
# three axes. Healthy: it only needs the channel-less probe.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: dice_loss value 0.6099 on a 2x16x16 logits batch, grad norm 0.01109, backward ok; upsampled 2x: 0.6122 (x1.004); perfect (+-20 logits): 0; on (2,1,16,16) it raises ValueError: too many values to unpack (expected 3)
# entry: dice_loss
import torch


def dice_loss(logits, mask, smooth=1.0):
    # The model's one output channel is squeezed before the loss: logits and mask are (N, H, W).
    batch, height, width = logits.shape
    prob = torch.sigmoid(logits).view(batch, height * width)
    mask = mask.view(batch, height * width)
    overlap = (prob * mask).sum(dim=1)
    total = prob.sum(dim=1) + mask.sum(dim=1)
    return (1 - (2 * overlap + smooth) / (total + smooth)).mean()
