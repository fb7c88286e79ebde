# A loss decorated with `@torch.no_grad()` (copied from an evaluation metric): its result has no graph,
# so nothing trains.
# expect: LD107 LD403 LD405
# verified: torch 2.15.0 CPU: iou_loss(logits, mask).requires_grad is False and backward() raises
#   RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn
import torch


@torch.no_grad()
def iou_loss(logits, mask, eps=1e-6):
    probs = torch.sigmoid(logits)
    inter = (probs * mask).sum()
    union = probs.sum() + mask.sum() - inter
    return 1 - (inter + eps) / (union + eps)
