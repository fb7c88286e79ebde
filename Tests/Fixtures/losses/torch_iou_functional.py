# Soft IoU (Jaccard) loss on logits with torch.* functions.
# IoU after a sigmoid saturates on confidently wrong logits (LD106).
# expect: LD106 LD405
import torch


def iou_loss(pred, target, eps=1.0):
    pred = torch.sigmoid(pred)
    inter = torch.sum(pred * target, dim=(1, 2, 3))
    union = torch.sum(pred + target, dim=(1, 2, 3)) - inter
    return torch.mean(1.0 - (inter + eps) / (union + eps))
