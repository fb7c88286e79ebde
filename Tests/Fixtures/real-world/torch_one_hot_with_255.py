# F.one_hot of a label map that still holds the ignore value 255: "Class values must be smaller than
# num_classes" at the first call.
# framework: torch
# input: logits
# target: index
# classes: 3
# ignore-index: 255
# expect: LD603
# not-analysed
# verified: torch 2.15.0: dice_loss raises RuntimeError: Class values must be smaller than num_classes. on a 2x3x16x16 logits batch, index target with ignore 255
import torch
import torch.nn.functional as F


def dice_loss(logits, target, smooth=1.0):
    probs = torch.softmax(logits, dim=1)
    onehot = F.one_hot(target, num_classes=logits.shape[1]).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum((0, 2, 3))
    card = (probs + onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + smooth) / (card + smooth)).mean()
