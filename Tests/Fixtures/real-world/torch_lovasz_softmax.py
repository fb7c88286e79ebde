# Lovasz-Softmax for class-index targets: per class, errors |onehot - p| sorted descending, dotted with
# the Lovasz gradient of the sorted labels, averaged over the classes present.
# framework: torch
# input: logits
# target: index
# classes: 3
# expect: clean
# verified: torch 2.15.0: lovasz_softmax value 0.8112 on a 2x3x16x16 logits batch, index target, grad norm 0.006219, backward ok; perfect hard prediction: 2.832e-18 (grad norm 2.892e-19); confidently wrong hard prediction: 1 (grad norm 2.965e-19); empty mask predicted exactly empty: 0 (grad norm 0)
import torch
import torch.nn.functional as F


def lovasz_grad(gt_sorted):
    gts = gt_sorted.sum()
    inter = gts - gt_sorted.cumsum(0)
    union = gts + (1 - gt_sorted).cumsum(0)
    jac = 1.0 - inter / union
    return torch.cat([jac[:1], jac[1:] - jac[:-1]])


def lovasz_softmax(logits, labels):
    probs = F.softmax(logits, dim=1)
    c = probs.shape[1]
    flat = probs.permute(0, 2, 3, 1).reshape(-1, c)
    lab = labels.reshape(-1)
    losses = []
    for k in range(c):
        fg = (lab == k).float()
        if fg.sum() == 0:
            continue
        errors = (fg - flat[:, k]).abs()
        errors_sorted, perm = torch.sort(errors, descending=True)
        losses.append(torch.dot(errors_sorted, lovasz_grad(fg[perm])))
    return torch.stack(losses).mean()
