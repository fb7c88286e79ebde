# A custom torch.autograd.Function: the Dice forward and its hand-written backward (the gradient of
# 1 - (2I + s) / (S + s) with respect to the prediction).
# framework: torch
# expect: clean
# verified: torch 2.15.0: dice_loss value 0.8272 on a 2x1x16x16 sigmoid batch, grad norm 0.04294, backward ok; perfect hard prediction: 0 (grad norm 0.2487); confidently wrong hard prediction: 0.9981 (grad norm 0.02613); empty mask predicted exactly empty: 0 (grad norm 22.63)
import torch


class SoftDiceFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, pred, target, smooth):
        inter = (pred * target).sum()
        total = pred.sum() + target.sum()
        ctx.save_for_backward(pred, target)
        ctx.smooth = smooth
        return 1 - (2 * inter + smooth) / (total + smooth)

    @staticmethod
    def backward(ctx, grad_out):
        pred, target = ctx.saved_tensors
        s = ctx.smooth
        inter = (pred * target).sum()
        total = pred.sum() + target.sum()
        grad = -(2 * target * (total + s) - (2 * inter + s)) / (total + s) ** 2
        return grad_out * grad, None, None


def dice_loss(pred, target, smooth=1.0):
    return SoftDiceFunction.apply(pred, target, smooth)
