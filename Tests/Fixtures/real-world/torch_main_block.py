# A loss file with a smoke test under `if __name__ == "__main__":` (random tensors, a print).
# framework: torch
# input: logits
# entry: dice_loss
# expect: clean
# verified: torch 2.15.0: dice_loss value 0.8332 on a 2x1x16x16 logits batch, grad norm 0.00616, backward ok; perfect hard prediction: 0 (grad norm 8.778e-10); confidently wrong hard prediction: 0.9961 (grad norm 5.37e-11); empty mask predicted exactly empty: 4.768e-07 (grad norm 2.332e-08)
import torch


def dice_loss(logits, target, smooth=1.0):
    p = torch.sigmoid(logits)
    inter = (p * target).sum((1, 2, 3))
    return (1 - (2 * inter + smooth) / (p.sum((1, 2, 3)) + target.sum((1, 2, 3)) + smooth)).mean()


if __name__ == "__main__":
    x = torch.randn(2, 1, 8, 8, requires_grad=True)
    y = (torch.rand(2, 1, 8, 8) > 0.5).float()
    value = dice_loss(x, y)
    value.backward()
    print(f"loss {value.item():.4f}, grad norm {x.grad.norm():.4f}")
