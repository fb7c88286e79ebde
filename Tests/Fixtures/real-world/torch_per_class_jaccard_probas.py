# A per-class soft Jaccard on class probabilities and an integer label map (the Lovasz-softmax calling
# convention): pixels are flattened to (P, C), each class is scored against `labels == c`, and the
# classes absent from the labels are skipped before averaging.
# framework: torch
# input: probs
# target: index
# classes: 3
# expect: clean
# verified: torch 2.15.0: per_class_jaccard value 0.8753 on a 2x3x16x16 softmax batch, index target, grad norm 0.0185, backward ok; perfect hard prediction: 0 (grad norm 0.5928); confidently wrong hard prediction: 1 (grad norm 0.04205); empty mask predicted exactly empty: 0 (grad norm 0.04419)
import torch


def to_rows(probas, labels):
    c = probas.shape[1]
    rows = probas.permute(0, 2, 3, 1).reshape(-1, c)
    return rows, labels.reshape(-1)


def per_class_jaccard(probas, labels, skip_absent=True, eps=1e-6):
    rows, flat = to_rows(probas, labels)
    C = rows.shape[1]
    terms = []
    for c in range(C):
        fg = (flat == c).float()
        if skip_absent and fg.sum() == 0:
            continue
        p = rows[:, c]
        inter = (p * fg).sum()
        union = p.sum() + fg.sum() - inter
        terms.append(1.0 - (inter + eps) / (union + eps))
    return torch.stack(terms).mean()
