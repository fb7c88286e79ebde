# Lovasz hinge (Berman et al.) for binary masks, per image: errors sorted in descending order,
# the Lovasz extension's gradient from the sorted labels, and a dot product.
# framework: torch
# input: logits
# expect: clean
# verified: torch 2.15.0: lovasz_hinge value 3.735 on a 2x1x16x16 logits batch, grad norm 0.1138, backward ok; perfect hard prediction: 0 (grad norm 0); confidently wrong hard prediction: 21 (grad norm 0.1246); empty mask predicted exactly empty: 0 (grad norm 0)
import torch
import torch.nn.functional as F


def lovasz_grad(gt_sorted):
    gts = gt_sorted.sum()
    intersection = gts - gt_sorted.cumsum(0)
    union = gts + (1 - gt_sorted).cumsum(0)
    jaccard = 1.0 - intersection / union
    return torch.cat([jaccard[:1], jaccard[1:] - jaccard[:-1]])


def lovasz_hinge_flat(logits, labels):
    signs = 2.0 * labels - 1.0
    errors = 1.0 - logits * signs
    errors_sorted, perm = torch.sort(errors, dim=0, descending=True)
    grad = lovasz_grad(labels[perm])
    return torch.dot(F.relu(errors_sorted), grad)


def lovasz_hinge(logits, labels):
    losses = [lovasz_hinge_flat(lg.reshape(-1), lb.reshape(-1)) for lg, lb in zip(logits, labels)]
    return torch.stack(losses).mean()
