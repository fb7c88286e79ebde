"""Computes the reference values of Tests/LossDoctorTests/Interpreter/APIReferenceValues.swift.

Each case is a Python expression of a variable `x` (and constants from SETUP) evaluated in the real
framework: the value of the expression and the gradient of its sum with respect to `x`. LossDoctor's
test evaluates the same text with its own interpreter and compares.

    /work/venv-torch/bin/python Scripts/reference/api_values.py torch > /tmp/torch.swift
    /work/venv-tf/bin/python Scripts/reference/api_values.py tf > /tmp/tf.swift

Never needed by the package or CI: the output is committed.
"""
import math
import sys

TORCH_SETUP = """
w16 = torch.arange(16).float().reshape(1, 1, 4, 4) / 10
w24 = torch.arange(24).float().reshape(2, 3, 2, 2) / 10 - 1
idx = torch.tensor([[0, 0, 3], [1, 2, 2], [3, 3, 3], [0, 1, 2]])
t = torch.tensor([[[0, 2], [1, 255]], [[2, 2], [0, 1]]])
t0 = torch.tensor([[[0, 2], [1, 1]], [[2, 2], [0, 1]]])
cw = torch.tensor([0.2, 1.0, 3.0])
"""

TORCH_CASES = [
    ("torch.sort descending, weighted", [16], "torch.sort(x, descending=True)[0] * torch.arange(16).float()"),
    ("Tensor.sort values and indices", [16], "x.sort(0)[0] * x.sort(0)[1].float()"),
    ("torch.argsort as a permutation", [16], "x[torch.argsort(x)] * torch.arange(16).float()"),
    ("torch.topk", [16], "torch.topk(x, 5)[0] * torch.arange(5).float()"),
    ("torch.topk smallest", [16], "torch.topk(x, 3, largest=False)[0] * torch.arange(3).float()"),
    ("torch.cumsum", [16], "torch.cumsum(x, 0) * torch.arange(16).float()"),
    ("Tensor.cumsum on a 2-D view", [16], "x.view(4, 4).cumsum(1) * idx.sum()"),
    ("torch.flip two dims", [1, 1, 4, 4], "torch.flip(x, [2, 3]) * w16"),
    ("Tensor.flip varargs", [1, 1, 4, 4], "x.flip(3) * w16"),
    ("torch.gather", [16], "torch.gather(x.view(4, 4), 1, idx) * torch.arange(12).float().view(4, 3)"),
    ("Tensor.scatter_add into zeros", [16], "torch.zeros(4, 4).scatter_add(1, idx, x.view(4, 4)[:, :3]) * w16.view(4, 4)"),
    ("Tensor.scatter a value", [16], "x.view(4, 4).scatter(1, idx, 0.5) * w16.view(4, 4)"),
    ("torch.zeros scatter_ one-hot", [16], "torch.zeros(2, 3, 2, 2).scatter_(1, t0.unsqueeze(1), 1) * x.sum()"),
    ("F.max_pool2d 3x3 stride 1 padding 1", [1, 1, 4, 4], "F.max_pool2d(x, 3, 1, 1) * w16"),
    ("F.max_pool2d 2x2", [1, 1, 4, 4], "F.max_pool2d(x, 2) * torch.tensor([1.0, -2.0, 0.5, 3.0]).view(1, 1, 2, 2)"),
    ("soft erosion (clDice)", [1, 1, 4, 4], "-F.max_pool2d(-x, (3, 1), (1, 1), (1, 0)) * w16"),
    ("nn.MaxPool2d module", [1, 1, 4, 4], "nn.MaxPool2d(kernel_size=3, stride=1, padding=1)(x) * w16"),
    ("F.max_pool3d", [1, 1, 4, 4], "F.max_pool3d(x.view(1, 1, 2, 2, 4), 2) * torch.tensor([1.0, 2.0]).view(1, 1, 1, 1, 2)"),
    ("F.avg_pool2d count_include_pad", [1, 1, 4, 4], "F.avg_pool2d(x, 3, 1, 1) * w16"),
    ("F.avg_pool2d ceil_mode without padding count", [1, 1, 4, 4],
     "F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False) * torch.arange(9).float().view(1, 1, 3, 3)"),
    ("F.avg_pool1d", [16], "F.avg_pool1d(x.view(1, 2, 8), 3, 2) * torch.arange(6).float().view(1, 2, 3)"),
    ("F.adaptive_avg_pool2d 3x3", [1, 1, 4, 4], "F.adaptive_avg_pool2d(x, 3) * torch.arange(9).float().view(1, 1, 3, 3)"),
    ("F.adaptive_max_pool2d (2, 3)", [1, 1, 4, 4], "F.adaptive_max_pool2d(x, (2, 3)) * torch.arange(6).float().view(1, 1, 2, 3)"),
    ("nn.AdaptiveAvgPool2d(1)", [1, 1, 4, 4], "nn.AdaptiveAvgPool2d(1)(x) * 3"),
    ("torch.linalg.vector_norm over dims", [2, 3, 2, 2], "torch.linalg.vector_norm(x, dim=(2, 3)) * w24[:, :, 0, 0]"),
    ("torch.norm of a zero vector has zero gradient", [2, 3, 2, 2], "torch.norm(x - x.detach(), dim=1)"),
    ("Tensor.norm p=1", [2, 3, 2, 2], "x.norm(p=1)"),
    ("torch.linalg.norm", [16], "torch.linalg.norm(x)"),
    ("F.normalize", [2, 3, 2, 2], "F.normalize(x, dim=1) * w24"),
    ("F.cosine_embedding_loss against one-hot labels", [4, 3], "F.cosine_embedding_loss(x, F.one_hot(torch.tensor([2, 0, 1, 1]), 3), torch.tensor([1]))"),
    ("F.cosine_embedding_loss margin, reduction none", [4, 3], "F.cosine_embedding_loss(x, torch.arange(12).float().view(4, 3) / 5 - 1, torch.tensor([1, -1, -1, 0]), margin=0.1, reduction='none')"),
    ("torch.einsum bchw,bchw->bc", [2, 3, 2, 2], "torch.einsum('bchw,bchw->bc', x, w24) * w24[:, :, 1, 1]"),
    ("torch.einsum implicit output", [2, 3, 2, 2], "torch.einsum('bchw,bchw', x, x)"),
    ("torch.tensordot", [16], "torch.tensordot(x.view(4, 4), w16.view(4, 4), dims=1) * w16.view(4, 4)"),
    ("torch.movedim", [2, 3, 2, 2], "torch.movedim(x, 1, -1) * torch.movedim(w24, 1, -1).exp()"),
    ("torch.dot", [16], "torch.dot(x, w16.flatten())"),
    ("torch.nan_to_num of log", [16], "torch.nan_to_num(torch.log(x), nan=0.0, neginf=-5.0) * torch.arange(16).float()"),
    ("isnan and isinf as masks", [16], "torch.where(torch.isnan(torch.log(x)) | torch.isinf(x), torch.zeros_like(x), x * 2)"),
    ("Tensor.where", [16], "x.where(x > 0, x * x)"),
    ("F.elu", [16], "F.elu(x) * torch.arange(16).float()"),
    ("F.pad constant value", [1, 1, 4, 4], "F.pad(x, (1, 0, 0, 2), value=0.5) * torch.arange(30).float().view(1, 1, 6, 5)"),
    ("F.pad replicate", [1, 1, 4, 4], "F.pad(x, (1, 1, 2, 0), mode='replicate') * torch.arange(36).float().view(1, 1, 6, 6)"),
    ("F.pad reflect", [1, 1, 4, 4], "F.pad(x, (2, 1, 1, 1), mode='reflect') * torch.arange(42).float().view(1, 1, 6, 7)"),
    ("F.interpolate nearest size", [1, 1, 4, 4], "F.interpolate(x, size=(6, 3)) * torch.arange(18).float().view(1, 1, 6, 3)"),
    ("F.interpolate nearest scale_factor 0.5", [1, 1, 4, 4], "F.interpolate(x, scale_factor=0.5) * torch.tensor([1.0, -2.0, 0.5, 3.0]).view(1, 1, 2, 2)"),
    ("F.interpolate nearest-exact", [1, 1, 4, 4], "F.interpolate(x, size=3, mode='nearest-exact') * torch.arange(9).float().view(1, 1, 3, 3)"),
    ("torch.unique of a target", [16], "x * torch.unique(t0).sum() + torch.unique(torch.tensor([3.0, 1.0, 3.0, 2.0]))[2]"),
    ("F.cross_entropy class indices", [2, 3, 2, 2], "F.cross_entropy(x, t0)"),
    ("F.cross_entropy ignore_index 255", [2, 3, 2, 2], "F.cross_entropy(x, t, ignore_index=255)"),
    ("F.cross_entropy weight", [2, 3, 2, 2], "F.cross_entropy(x, t0, weight=cw)"),
    ("F.cross_entropy weight, ignore_index and label_smoothing", [2, 3, 2, 2],
     "F.cross_entropy(x, t, weight=cw, ignore_index=255, label_smoothing=0.1)"),
    ("F.cross_entropy label_smoothing", [2, 3, 2, 2], "F.cross_entropy(x, t0, label_smoothing=0.2)"),
    ("F.cross_entropy reduction none", [2, 3, 2, 2], "F.cross_entropy(x, t, ignore_index=255, reduction='none') * w24[:, 0]"),
    ("F.cross_entropy reduction sum", [2, 3, 2, 2], "F.cross_entropy(x, t0, weight=cw, reduction='sum')"),
    ("nn.CrossEntropyLoss(ignore_index=255)", [2, 3, 2, 2], "nn.CrossEntropyLoss(ignore_index=255)(x, t)"),
    ("F.nll_loss weight", [2, 3, 2, 2], "F.nll_loss(F.log_softmax(x, dim=1), t0, weight=cw)"),
    ("F.one_hot permuted", [2, 3, 2, 2], "F.one_hot(t0, 3).permute(0, 3, 1, 2) * x"),
    ("F.one_hot inferred classes", [2, 3, 2, 2], "F.one_hot(t0).permute(0, 3, 1, 2).float() * x"),
    ("torch.logsumexp", [2, 3, 2, 2], "torch.logsumexp(x, 1) * w24[:, 0]"),
    ("Lovasz gradient pattern", [16],
     "torch.dot(F.relu(torch.sort(1 - x * (2 * (x > 0.3).float() - 1), descending=True)[0]), torch.arange(16).float().flip(0) / 16)"),
]

TF_SETUP = """
w16 = tf.reshape(tf.range(16, dtype=tf.float32), (1, 4, 4, 1)) / 10
"""

TF_CASES = [
    ("tf.sort descending", [16], "tf.sort(x, direction='DESCENDING') * tf.range(16, dtype=tf.float32)"),
    ("tf.keras.backend.dot rank 3 by rank 2 (legacy reshape)", [2, 2, 3], "tf.keras.backend.dot(x, tf.reshape(tf.range(12, dtype=tf.float32), (3, 4)) / 10)"),
    ("tf.keras.backend.dot of two matrices", [2, 3], "tf.keras.backend.dot(x, tf.reshape(tf.range(6, dtype=tf.float32), (3, 2)) - 2)"),
    ("tf.gather with tf.argsort", [16], "tf.gather(x, tf.argsort(x)) * tf.range(16, dtype=tf.float32)"),
    ("tf.nn.top_k (Lovasz)", [16], "tf.nn.top_k(x, k=tf.shape(x)[0])[0] * tf.range(16, dtype=tf.float32)"),
    ("tf.math.cumsum", [16], "tf.math.cumsum(x) * tf.range(16, dtype=tf.float32)"),
    ("tf.math.cumsum exclusive reverse", [16], "tf.math.cumsum(x, exclusive=True, reverse=True) * tf.range(16, dtype=tf.float32)"),
    ("tf.reverse", [1, 4, 4, 1], "tf.reverse(x, axis=[1]) * w16"),
    ("tf.gather axis 1", [1, 4, 4, 1], "tf.gather(x, [3, 0, 0], axis=1) * tf.reshape(tf.range(12, dtype=tf.float32), (1, 3, 4, 1)) / 10"),
    ("tf.nn.max_pool2d SAME", [1, 4, 4, 1], "tf.nn.max_pool2d(x, 3, 1, 'SAME') * w16"),
    ("tf.nn.max_pool2d VALID stride 2", [1, 4, 4, 1], "tf.nn.max_pool2d(x, (2, 2), (2, 2), 'VALID') * tf.constant([1.0, -2.0, 0.5, 3.0], shape=(1, 2, 2, 1))"),
    ("soft erosion in TensorFlow (clDice)", [1, 4, 4, 1], "-tf.nn.max_pool2d(-x, (3, 1), (1, 1), 'SAME') * w16"),
    ("tf.nn.avg_pool2d SAME stride 2", [1, 4, 4, 1], "tf.nn.avg_pool2d(x, 3, 2, 'SAME') * tf.constant([1.0, -2.0, 0.5, 3.0], shape=(1, 2, 2, 1))"),
    ("keras MaxPooling2D layer as a function", [1, 4, 4, 1], "keras.layers.MaxPooling2D(pool_size=(3, 3), strides=(1, 1), padding='same')(x) * w16"),
    ("keras.ops.max_pool", [1, 4, 4, 1], "keras.ops.max_pool(x, 2) * tf.constant([1.0, -2.0, 0.5, 3.0], shape=(1, 2, 2, 1))"),
    ("keras AveragePooling2D same", [1, 4, 4, 1], "keras.layers.AveragePooling2D(pool_size=3, strides=1, padding='same')(x) * w16"),
    ("tf.norm", [16], "tf.norm(x)"),
    ("tf.norm axis", [1, 4, 4, 1], "tf.norm(x, axis=[1, 2]) * 2"),
    ("tf.einsum", [1, 4, 4, 1], "tf.einsum('bhwc,bhwc->bc', x, w16)"),
    ("tf.tensordot (Lovasz)", [16], "tf.tensordot(tf.nn.elu(x) + 1, tf.range(16, dtype=tf.float32), 1)"),
    ("tf.one_hot of class indices", [1, 4, 4, 1], "tf.one_hot(tf.constant([[0, 2], [1, 3]]), 3) * tf.reshape(x[0, :2, :2, 0], (2, 2, 1))"),
    ("tf.where with is_nan", [16], "tf.where(tf.math.is_nan(tf.math.log(x)), tf.zeros_like(x), x * 3)"),
]


def values(shape):
    n = 1
    for s in shape:
        n *= s
    return [round(math.sin(1.7 * i + 0.3) * 2, 4) for i in range(n)]


def swift_floats(xs):
    out = []
    for v in xs:
        if math.isnan(v):
            out.append(".nan")
        elif math.isinf(v):
            out.append("Float.infinity" if v > 0 else "-Float.infinity")
        else:
            out.append(repr(float(v)))
    return "[" + ", ".join(out) + "]"


def main():
    framework = sys.argv[1]
    if framework == "torch":
        import numpy as np
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        env = {"torch": torch, "nn": nn, "F": F, "np": np}
        exec(TORCH_SETUP, env)
        print(f"// torch {torch.__version__}")
        for name, shape, expression in TORCH_CASES:
            x = torch.tensor(values(shape), dtype=torch.float32).reshape(shape).requires_grad_(True)
            env["x"] = x
            y = eval(expression, env)
            y.sum().backward()
            grad = x.grad.flatten().tolist() if x.grad is not None else []
            print(f'    APIReference("{name}", {shape}, "{expression}",')
            print(f"                 value: {swift_floats(y.detach().flatten().tolist())},")
            print(f"                 gradient: {swift_floats(grad)}),")
    else:
        import tensorflow as tf
        import keras
        env = {"tf": tf, "keras": keras}
        exec(TF_SETUP, env)
        print(f"// tensorflow {tf.__version__}, keras {keras.__version__}")
        for name, shape, expression in TF_CASES:
            x = tf.Variable(tf.reshape(tf.constant(values(shape), dtype=tf.float32), shape))
            env["x"] = x
            with tf.GradientTape() as tape:
                y = eval(expression, env)
                total = tf.reduce_sum(y)
            grad = tape.gradient(total, x)
            g = [] if grad is None else tf.reshape(grad, [-1]).numpy().tolist()
            print(f'    APIReference("{name}", {shape}, "{expression}",')
            print(f"                 value: {swift_floats(tf.reshape(y, [-1]).numpy().tolist())},")
            print(f"                 gradient: {swift_floats(g)}),")


main()
