# The shape of a toolbelt-style module: an optional import in try/except ImportError, a functional loss
# bound with functools.partial in the constructor, a ValueError raised with an f-string for a bad
# reduction and caught by the caller, a decorator that follows the function, and a demo under
# `if __name__ == "__main__":` that must not run.
# expect: LD605
# verified: torch 2.15.0 CPU: BinaryFocal()(logits, target) equals the mean of
#   (1 - p_t) ** 2 * BCE-with-logits on random logits to 1e-7; safe_reduction("max") returns the mean
import functools
from functools import partial
from typing import Optional

import torch
import torch.nn.functional as F

try:
    from scipy.ndimage import distance_transform_edt
except ImportError:
    distance_transform_edt = None


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


def reduce(values, reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unsupported reduction {reduction!r}; use one of {', '.join(['mean', 'sum', 'none'])}")
    return values.mean() if reduction == "mean" else values.sum() if reduction == "sum" else values


def safe_reduction(values, reduction):
    try:
        return reduce(values, reduction)
    except ValueError:
        return values.mean()


@logged
def focal_with_logits(logits, target, gamma=2.0, reduction="mean"):
    target = target.type_as(logits)
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    p_t = torch.exp(-bce)
    return safe_reduction((1.0 - p_t) ** gamma * bce, reduction)


class BinaryFocal(torch.nn.Module):
    def __init__(self, gamma: float = 2.0, reduction: str = "mean", ignore_index: Optional[int] = None):
        super().__init__()
        self.loss_fn = partial(focal_with_logits, gamma=gamma, reduction=reduction)

    def forward(self, logits, target):
        return self.loss_fn(logits, target)


if __name__ == "__main__":
    print(BinaryFocal()(torch.randn(2, 1, 4, 4), torch.rand(2, 1, 4, 4).round()))
