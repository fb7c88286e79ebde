# smp DiceLoss told the input is probabilities (from_logits=False) while the model returns logits:
# the "probabilities" are negative or above 1 and the loss is minimised by pushing logits apart.
# framework: torch
# input: logits
# expect: LD305
# verified: torch 2.15.0: seg_loss value 40.21 on a 2x1x16x16 logits batch, grad norm 44.63, backward ok; perfect hard prediction: 9.295e+10 (grad norm 2.161e+08); confidently wrong hard prediction: 1.212 (grad norm 0.00183); empty mask predicted exactly empty: 0 (grad norm 0)
import segmentation_models_pytorch as smp

loss_fn = smp.losses.DiceLoss(mode="binary", from_logits=False)


def seg_loss(logits, masks):
    return loss_fn(logits, masks)
