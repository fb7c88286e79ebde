# The probabilities are computed under `torch.no_grad()` to "save memory": everything built from them
# is a constant to autograd, so the loss trains nothing. The target's weights computed under no_grad
# are harmless (they never had a gradient).
# expect: LD107 LD403
# verified: torch 2.15.0 CPU: weighted_dice_loss(logits, mask).requires_grad is False, and .backward()
#   raises RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn
import torch


def weighted_dice_loss(logits, mask, smooth=1.0):
    with torch.no_grad():
        weight = 1.0 / (mask.mean() + 0.1)
        probs = torch.sigmoid(logits)
    inter = (probs * mask).sum()
    union = probs.sum() + mask.sum()
    return weight * (1 - (2 * inter + smooth) / (union + smooth))
