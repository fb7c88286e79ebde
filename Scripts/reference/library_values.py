"""Computes the fixtures of Tests/LossDoctorTests/Interpreter/LibraryLossValues.swift: each library loss
configuration evaluated by the real library on fixed logits `x` and targets from SETUP, its value and
the norm of its gradient with respect to `x`. LossDoctor's test evaluates the same text.

    /work/venv-torch/bin/python Scripts/reference/library_values.py > /tmp/library.txt

Never needed by the package or CI: the output is committed.
"""
import math

SETUP = """
yb = (torch.arange(32).reshape(2, 1, 4, 4) % 3 == 0).float()
yi = torch.arange(32).reshape(2, 4, 4) % 3
yi_ignore = torch.where(torch.arange(32).reshape(2, 4, 4) % 7 == 0, 255, yi)
yi1 = yi.unsqueeze(1)
yi1_missing = (yi1 == 2).long() * 2
yoh = F.one_hot(yi, 3).permute(0, 3, 1, 2).float()
"""

BINARY = [2, 1, 4, 4]
MULTI = [2, 3, 4, 4]

CASES = [
    ("smp DiceLoss binary", BINARY, "smp.losses.DiceLoss(mode='binary')(x, yb)"),
    ("smp DiceLoss binary on probabilities", BINARY, "smp.losses.DiceLoss(mode='binary', from_logits=False)(x.sigmoid(), yb)"),
    ("smp DiceLoss multiclass", MULTI, "smp.losses.DiceLoss(mode='multiclass')(x, yi)"),
    ("smp DiceLoss multiclass ignore_index smooth", MULTI, "smp.losses.DiceLoss(mode='multiclass', ignore_index=255, smooth=1.0)(x, yi_ignore)"),
    ("smp DiceLoss multilabel log_loss", MULTI, "smp.losses.DiceLoss(mode='multilabel', log_loss=True)(x, yoh)"),
    ("smp DiceLoss classes", MULTI, "smp.losses.DiceLoss(mode='multiclass', classes=[1, 2])(x, yi)"),
    ("smp DiceLoss class_weights", MULTI, "smp.losses.DiceLoss(mode='multiclass', class_weights=[1.0, 2.0, 0.5])(x, yi)"),
    ("smp JaccardLoss binary", BINARY, "smp.losses.JaccardLoss(mode='binary')(x, yb)"),
    ("smp JaccardLoss multiclass", MULTI, "smp.losses.JaccardLoss(mode='multiclass')(x, yi)"),
    ("smp TverskyLoss multiclass", MULTI, "smp.losses.TverskyLoss(mode='multiclass', alpha=0.3, beta=0.7, gamma=1.5)(x, yi)"),
    ("smp FocalLoss binary", BINARY, "smp.losses.FocalLoss(mode='binary')(x, yb)"),
    ("smp FocalLoss multiclass alpha", MULTI, "smp.losses.FocalLoss(mode='multiclass', alpha=0.25)(x, yi)"),
    ("smp FocalLoss multiclass ignore normalized", MULTI, "smp.losses.FocalLoss(mode='multiclass', ignore_index=255, normalized=True)(x, yi_ignore)"),
    ("smp FocalLoss reduced threshold", BINARY, "smp.losses.FocalLoss(mode='binary', reduced_threshold=0.5)(x, yb)"),
    ("smp SoftBCEWithLogitsLoss", BINARY, "smp.losses.SoftBCEWithLogitsLoss(smooth_factor=0.1)(x, yb)"),
    ("smp SoftCrossEntropyLoss", MULTI, "smp.losses.SoftCrossEntropyLoss(smooth_factor=0.1)(x, yi)"),
    ("smp SoftCrossEntropyLoss ignore", MULTI, "smp.losses.SoftCrossEntropyLoss(smooth_factor=0.2, ignore_index=255)(x, yi_ignore)"),
    ("smp LovaszLoss binary", BINARY, "smp.losses.LovaszLoss(mode='binary')(x, yb)"),
    ("smp LovaszLoss binary per image", BINARY, "smp.losses.LovaszLoss(mode='binary', per_image=True)(x, yb)"),
    ("smp LovaszLoss multiclass", MULTI, "smp.losses.LovaszLoss(mode='multiclass')(x, yi)"),
    ("smp LovaszLoss multiclass ignore per image", MULTI, "smp.losses.LovaszLoss(mode='multiclass', ignore_index=255, per_image=True)(x, yi_ignore)"),
    ("smp LovaszLoss multilabel", MULTI, "smp.losses.LovaszLoss(mode='multilabel')(x, yoh)"),
    ("monai DiceLoss sigmoid", BINARY, "monai.losses.DiceLoss(sigmoid=True)(x, yb)"),
    ("monai DiceLoss softmax one-hot", MULTI, "monai.losses.DiceLoss(softmax=True, to_onehot_y=True)(x, yi1)"),
    ("monai DiceLoss no background batch squared", MULTI,
     "monai.losses.DiceLoss(softmax=True, to_onehot_y=True, include_background=False, batch=True, squared_pred=True)(x, yi1)"),
    ("monai DiceLoss softmax on one channel", BINARY, "monai.losses.DiceLoss(softmax=True)(x, yb)"),
    ("monai DiceLoss jaccard sum", MULTI, "monai.losses.DiceLoss(sigmoid=True, jaccard=True, reduction='sum')(x, yoh)"),
    ("monai DiceLoss smooth_nr 0", MULTI, "monai.losses.DiceLoss(softmax=True, to_onehot_y=True, smooth_nr=0.0, smooth_dr=1e-6)(x, yi1)"),
    ("monai DiceCELoss softmax", MULTI, "monai.losses.DiceCELoss(softmax=True, to_onehot_y=True)(x, yi1)"),
    ("monai DiceCELoss sigmoid binary", BINARY, "monai.losses.DiceCELoss(sigmoid=True)(x, yb)"),
    ("monai FocalLoss sigmoid", BINARY, "monai.losses.FocalLoss()(x, yb)"),
    ("monai FocalLoss softmax alpha one-hot", MULTI, "monai.losses.FocalLoss(to_onehot_y=True, use_softmax=True, alpha=0.25)(x, yi1)"),
    ("monai FocalLoss per-class alpha weight sum", MULTI, "monai.losses.FocalLoss(to_onehot_y=True, alpha=[0.2, 0.3, 0.5], weight=[1.0, 2.0, 3.0], reduction='sum')(x, yi1)"),
    ("monai FocalLoss no background gamma 0", MULTI, "monai.losses.FocalLoss(include_background=False, gamma=0.0)(x, yoh)"),
    ("monai DiceFocalLoss softmax", MULTI, "monai.losses.DiceFocalLoss(softmax=True, to_onehot_y=True)(x, yi1)"),
    ("monai DiceFocalLoss sigmoid alpha", BINARY, "monai.losses.DiceFocalLoss(sigmoid=True, alpha=0.25, gamma=1.5)(x, yb)"),
    ("monai TverskyLoss", MULTI, "monai.losses.TverskyLoss(softmax=True, to_onehot_y=True, alpha=0.3, beta=0.7)(x, yi1)"),
    ("monai GeneralizedDiceLoss", MULTI, "monai.losses.GeneralizedDiceLoss(softmax=True, to_onehot_y=True)(x, yi1)"),
    ("monai GeneralizedDiceLoss absent class", MULTI, "monai.losses.GeneralizedDiceLoss(softmax=True, to_onehot_y=True)(x, yi1_missing)"),
    ("pytorch-toolbelt DiceLoss binary", BINARY, "pytorch_toolbelt.losses.DiceLoss(mode='binary')(x, yb)"),
    ("pytorch-toolbelt DiceLoss multiclass ignore", MULTI, "pytorch_toolbelt.losses.DiceLoss(mode='multiclass', ignore_index=255, smooth=1.0)(x, yi_ignore)"),
    ("pytorch-toolbelt JaccardLoss multiclass log", MULTI, "pytorch_toolbelt.losses.JaccardLoss(mode='multiclass', log_loss=True)(x, yi)"),
    ("kornia tversky_loss", MULTI, "kornia.losses.tversky_loss(x, yi, alpha=0.3, beta=0.7)"),
    ("kornia TverskyLoss ignore_index", MULTI, "kornia.losses.TverskyLoss(alpha=0.5, beta=0.5, ignore_index=255)(x, yi_ignore)"),
    ("kornia tversky_loss absent class", MULTI, "kornia.losses.tversky_loss(x, yi1_missing.squeeze(1), alpha=1.0, beta=1.0)"),
    ("kornia focal_loss mean", MULTI, "kornia.losses.focal_loss(x, yi, alpha=0.5, gamma=2.0, reduction='mean')"),
    ("kornia focal_loss none no alpha", MULTI, "kornia.losses.focal_loss(x, yi, alpha=None, gamma=1.5)"),
    ("kornia FocalLoss ignore weight sum", MULTI, "kornia.losses.FocalLoss(alpha=0.25, reduction='sum', weight=torch.tensor([0.5, 1.0, 2.0]), ignore_index=255)(x, yi_ignore)"),
    ("torchvision sigmoid_focal_loss mean", BINARY, "torchvision.ops.sigmoid_focal_loss(x, yb, reduction='mean')"),
    ("torchvision sigmoid_focal_loss no alpha sum", BINARY, "torchvision.ops.sigmoid_focal_loss(x, yb, alpha=-1, gamma=3, reduction='sum')"),
]


def values(shape):
    n = 1
    for s in shape:
        n *= s
    return [round(math.sin(1.7 * i + 0.3) * 2, 4) for i in range(n)]


def main():
    import warnings
    warnings.filterwarnings("ignore")
    import torch
    import torch.nn.functional as F
    import monai
    import segmentation_models_pytorch as smp
    import torchvision
    import pytorch_toolbelt.losses
    import kornia
    env = {"pytorch_toolbelt": pytorch_toolbelt, "kornia": kornia, "torch": torch, "F": F, "monai": monai, "smp": smp, "torchvision": torchvision}
    exec(SETUP, env)
    print(f"// torch {torch.__version__}, segmentation-models-pytorch {smp.__version__}, monai {monai.__version__}, torchvision {torchvision.__version__}, pytorch-toolbelt {pytorch_toolbelt.__version__}, kornia {kornia.__version__}")
    for name, shape, expression in CASES:
        x = torch.tensor(values(shape), dtype=torch.float32).reshape(shape).requires_grad_(True)
        env["x"] = x
        y = eval(expression, env)
        y.sum().backward()
        norm = x.grad.norm().item()
        print(f'    LibraryReference("{name}", {shape}, "{expression}", value: {y.sum().item()!r}, gradientNorm: {norm!r}),')


main()
