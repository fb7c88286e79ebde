#!/usr/bin/env python3
"""Does LossDoctor's simulated training predict real training?

Trains a small U-Net for real in PyTorch on synthetic data like the simulation's (larger), once per loss of
the reference set (the built-ins), classifies the real outcome, runs `loss-doctor check --loss NAME --format
json` on the same loss, and writes docs/simulation-validity.md: the confusion matrix, the agreement, every
disagreement with both sides' numbers, the versions and the date.

Not run in CI: it needs PyTorch (pip install torch numpy) and takes minutes.

    python3 Scripts/validate-simulation.py --loss-doctor .build/release/loss-doctor
    python3 Scripts/validate-simulation.py --losses bce,dice-channel-axis --steps 150   # a subset

Real outcome, from the validation Dice (pooled over the validation set, prediction thresholded at 0.5)
evaluated every 10 steps, measured against the baseline dice-bce trained identically:
  cannot train  the loss or its gradient turns NaN, or the final validation prediction holds (almost) no
                foreground (under 0.1 % of the pixels) or the final Dice is under 0.1;
  slow or poor  it reaches Dice 0.5 after more than 2x the baseline's steps or never (while the baseline
                does), or its final Dice is more than 0.2 below the baseline's (LD502's criteria);
  trains        otherwise.
Simulated verdict, from the training rules of the check: LD501 (stalled), LD504 (collapse to background) or
LD505 (failed: ends under Dice 0.1) -> cannot train; LD502 (slow) -> slow or poor; none of them -> trains.
"""
import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys

import re

import numpy as np

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:  # the Keras worker (--keras-worker) runs in a virtual environment without PyTorch
    torch = nn = F = None

EPS = 1e-7  # Keras' epsilon: the built-ins follow Keras' clipping


# ----------------------------------------------------------------------------------------------- data
def make_split(count, size, rng, noise=0.6, object_classes=1):
    """make_split_np as PyTorch tensors."""
    images, masks = make_split_np(count, size, rng, noise, object_classes)
    return torch.from_numpy(images), torch.from_numpy(masks)


LEVELS = (1.0, -1.0, 2.0)  # image intensity of object classes 1, 2, 3


def make_split_np(count, size, rng, noise=0.6, object_classes=1):
    """Images of ellipses of varied size (some tiny, every fourth image empty) on Gaussian noise. With two
    object classes, class 1 is bright (+1) and class 2 dark (-1), as in the simulation (a third, for 4-class
    losses, is brighter: +2); masks hold labels. NCHW arrays."""
    images = np.zeros((count, 1, size, size), np.float32)
    masks = np.zeros((count, 1, size, size), np.float32)
    yy, xx = np.mgrid[0:size, 0:size]
    for s in range(count):
        blobs = 0 if s % 4 == 3 else 1 + rng.integers(3)
        for b in range(blobs):
            label = 1 + rng.integers(object_classes) if object_classes > 1 else 1  # binary data keeps its draws
            tiny = s % 4 == 1 and b == 0
            r = 0.8 + 0.5 * rng.random() if tiny else 1.2 + 3.3 * rng.random()
            stretch = 1 + 0.4 * rng.random()
            ry, rx = (r * stretch, r) if rng.random() < 0.5 else (r, r * stretch)
            cy, cx = rng.uniform(2, size - 2), rng.uniform(2, size - 2)
            masks[s, 0][((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1] = label
        intensity = np.select([masks[s, 0] == c + 1 for c in range(len(LEVELS))], LEVELS, 0.0)
        images[s, 0] = intensity + noise * rng.standard_normal((size, size))
    return images, masks


# ---------------------------------------------------------------------------------------------- model
class TinyUNet(nn.Module if nn else object):
    """Two levels, 8 and 16 channels: about 6k parameters (3-D convolutions for volumes)."""

    def __init__(self, width=8, outputs=1, volume=False):
        super().__init__()
        w = width
        conv = nn.Conv3d if volume else nn.Conv2d
        self.pool = F.max_pool3d if volume else F.max_pool2d
        self.enc1 = nn.Sequential(conv(1, w, 3, padding=1), nn.ReLU(), conv(w, w, 3, padding=1), nn.ReLU())
        self.enc2 = nn.Sequential(conv(w, 2 * w, 3, padding=1), nn.ReLU(), conv(2 * w, 2 * w, 3, padding=1), nn.ReLU())
        self.dec1 = nn.Sequential(conv(3 * w, w, 3, padding=1), nn.ReLU())
        self.head = conv(w, outputs, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1, 2))
        d1 = self.dec1(torch.cat([e1, F.interpolate(e2, scale_factor=2)], 1))
        return self.head(d1)


# --------------------------------------------------------------------------------------------- losses
# The built-ins of Sources/LossDoctor/References/ReferenceLosses.swift, in PyTorch, NCHW, one channel.
# `p` is sigmoid(z) for the losses on probabilities; the ones on logits get `z`.
def sums(y, p, dims):
    return (y * p).sum(dims), y.sum(dims), p.sum(dims)


PER_SAMPLE = (1, 2, 3)


def kbce(y, p):
    p = p.clamp(EPS, 1 - EPS)
    return -(y * torch.log(p + EPS) + (1 - y) * torch.log(1 - p + EPS))


def soft_dice(y, p, smooth=1.0):
    i, sy, sp = sums(y, p, PER_SAMPLE)
    return (1 - (2 * i + smooth) / (sy + sp + smooth)).mean()


def tversky_index(y, p, a=0.3, b=0.7):
    i, sy, sp = sums(y, p, PER_SAMPLE)
    return (i + 1) / (i + a * (sp - i) + b * (sy - i) + 1)


def focal(y, p, alpha=0.25, gamma=2.0):
    pc = p.clamp(EPS, 1 - EPS)
    pt = y * pc + (1 - y) * (1 - pc)
    w = alpha * y + (1 - alpha) * (1 - y)
    return (w * (1 - pt) ** gamma * kbce(y, p)).mean()


def generalized_dice(y, p):
    y2, p2 = torch.cat([1 - y, y], 1), torch.cat([1 - p, p], 1)
    i, sy, sp = sums(y2, p2, (2, 3))
    w = 1 / (sy * sy).clamp_min(1e-12)
    w = torch.where(torch.isinf(w), torch.zeros_like(w), w)
    return (1 - (2 * (w * i).sum(1) + 1e-5) / ((w * (sy + sp)).sum(1) + 1e-5)).mean()


def pooled_dice(y, p, smooth=1.0):
    i, sy, sp = (y * p).sum(), y.sum(), p.sum()
    return 1 - (2 * i + smooth) / (sy + sp + smooth)


LOSSES = {
    "bce": ("p", lambda y, p: kbce(y, p).mean()),
    "bce-logits": ("z", lambda y, z: F.binary_cross_entropy_with_logits(z, y)),
    "soft-dice": ("p", soft_dice),
    "iou": ("p", lambda y, p: (1 - (lambda i, sy, sp: (i + 1) / (sy + sp - i + 1))(*sums(y, p, PER_SAMPLE))).mean()),
    "tversky": ("p", lambda y, p: (1 - tversky_index(y, p)).mean()),
    "focal-tversky": ("p", lambda y, p: ((1 - tversky_index(y, p)).clamp_min(0) ** (4 / 3)).mean()),
    "focal": ("p", focal),
    "generalized-dice": ("p", generalized_dice),
    "log-cosh-dice": ("p", lambda y, p: torch.log(torch.cosh(1 - (lambda i, sy, sp: (2 * i + 1) / (sy + sp + 1))(*sums(y, p, PER_SAMPLE)))).mean()),
    "dice-bce": ("p", lambda y, p: kbce(y, p).mean() + soft_dice(y, p)),
    "dice-floor": ("p", lambda y, p: 1 - torch.div(2 * (y * p).sum() + 1, y.sum() + p.sum() + 1, rounding_mode="floor").detach()),
    "dice-no-smooth": ("p", lambda y, p: soft_dice(y, p, smooth=0.0)),
    "dice-eps-denominator": ("p", lambda y, p: 1 - 2 * (y * p).sum() / (y.sum() + p.sum() + EPS)),
    "dice-coef": ("p", lambda y, p: (lambda i, sy, sp: (2 * i + 1) / (sy + sp + 1))(*sums(y, p, PER_SAMPLE)).mean()),
    "dice-round": ("p", lambda y, p: soft_dice(y, torch.round(p).detach())),
    "dice-threshold": ("p", lambda y, p: soft_dice(y, (p > 0.5).float())),
    "bce-plus-dice-floor": ("p", lambda y, p: kbce(y, p).mean() + (1 - torch.div(2 * (y * p).sum() + 1, y.sum() + p.sum() + 1, rounding_mode="floor")).detach()),
    "batch-dice": ("p", pooled_dice),
    "bce-sum": ("p", lambda y, p: kbce(y, p).sum()),
    "bce-no-clip": ("p", lambda y, p: (-(y * torch.log(p) + (1 - y) * torch.log(1 - p))).mean()),
    "double-sigmoid": ("p", lambda y, p: kbce(y, torch.sigmoid(p)).mean()),
    "mse-logits": ("z", lambda y, z: ((torch.sigmoid(z) - y) ** 2).mean()),
    "dice-large-smooth": ("p", lambda y, p: soft_dice(y, p, smooth=100.0)),
    "bce-swapped": ("p", lambda y, p: kbce(p, y).mean()),
    "focal-tversky-075": ("p", lambda y, p: ((1 - tversky_index(y, p)).clamp_min(0) ** 0.75).mean()),
    "mse": ("p", lambda y, p: ((p - y) ** 2).mean()),
    "dice-detach": ("p", lambda y, p: soft_dice(y, p.detach())),
    "bce-sigmoid-logits": ("z", lambda y, z: kbce(y, torch.sigmoid(z)).mean()),
    "bce-sign-error": ("p", lambda y, p: (-(y * torch.log(p.clamp(EPS, 1 - EPS)) - (1 - y) * torch.log(1 - p.clamp(EPS, 1 - EPS)))).mean()),
    "dice-channel-axis": ("p", lambda y, p: (1 - (2 * (y * p).sum(1) + 1) / (y.sum(1) + p.sum(1) + 1)).mean()),
    "focal-times-gamma": ("p", lambda y, p: (2 * kbce(y, p)).mean()),
    "neg-dice": ("p", lambda y, p: -(lambda i, sy, sp: (2 * i + 1) / (sy + sp + 1))(*sums(y, p, PER_SAMPLE)).mean()),
    "dice-per-sample": ("p", lambda y, p: (1 - (lambda i, sy, sp: (2 * i + 1) / (sy + sp + 1))(*sums(y, p, PER_SAMPLE))).mean()),
}
BASELINE = "dice-bce"


# The multi-class losses of Tests/LossDoctorTests/Simulation/MultiClassSimulationTests.swift (C = 3), on
# NCHW logits `z` and one-hot targets `y`.
def class_dice(y, p, dims, smooth=1.0):
    return (2 * (y * p).sum(dims) + smooth) / (y.sum(dims) + p.sum(dims) + smooth)


MULTICLASS = {
    "ce": lambda y, z: -(y * F.log_softmax(z, 1)).sum(1).mean(),
    "ce-dice": lambda y, z: -(y * F.log_softmax(z, 1)).sum(1).mean() + (1 - class_dice(y, F.softmax(z, 1), (0, 2, 3))).mean(),
    "softmax-dice": lambda y, z: (1 - class_dice(y, F.softmax(z, 1), (2, 3))).mean(),
    "per-pixel-dice": lambda y, z: (1 - class_dice(y, F.softmax(z, 1), (1,))).mean(),
    "pooled-dice": lambda y, z: 1 - class_dice(y, F.softmax(z, 1), (0, 1, 2, 3)),
}
MULTICLASS_BASELINE = "ce-dice"
# What the simulation says, pinned by MultiClassSimulationTests (check does not take a multi-class target
# format from the command line yet): the collapse test asserts LD504 for these three, crossEntropyIsQuiet
# asserts no training finding for ce; ce-dice is the baseline. softmax-dice ends all background after a rise
# to 0.39, which LD504 reports as it does on the binary task.
MULTICLASS_SIMULATED_COLLAPSE = {"per-pixel-dice", "pooled-dice", "softmax-dice"}


def train_multiclass(name, data, steps, lr, batch, seed, every=10):
    (xt, lt), (xv, lv) = data
    yt = F.one_hot(lt[:, 0].long(), 3).permute(0, 3, 1, 2).float()
    lv = lv[:, 0].long()
    torch.manual_seed(seed)
    model = TinyUNet(outputs=3)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    curve = []
    for step in range(steps + 1):
        if step % every == 0 or step == steps:
            with torch.no_grad():
                pred = model(xv).argmax(1)
                dices = []
                for c in (1, 2):
                    tp = ((pred == c) & (lv == c)).sum().item()
                    fp = ((pred == c) & (lv != c)).sum().item()
                    fn = ((pred != c) & (lv == c)).sum().item()
                    dices.append(1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn))
                curve.append((step, sum(dices) / 2, (pred > 0).float().mean().item()))
        if step == steps:
            break
        idx = torch.randint(0, xt.shape[0], (batch,), generator=g)
        loss = MULTICLASS[name](yt[idx], model(xt[idx]))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return {"curve": curve, "nan_step": None}


def multiclass_section(args):
    rng = np.random.default_rng(20240405)
    data = (make_split(64, 32, rng, object_classes=2), make_split(32, 32, rng, object_classes=2))
    base = train_multiclass(MULTICLASS_BASELINE, data, args.steps, args.lr, args.batch, args.seed)
    out = ["", "### Multi-class (C = 3), real side", "",
           "The same U-Net with three output channels, on the same kind of images with background and two object "
           "classes (bright and dark ellipses), Dice = mean over the object classes of the arg max. The simulated "
           "side is pinned by `MultiClassSimulationTests`: LD504 for per-pixel-dice and pooled-dice (they never "
           "predict foreground) and for softmax-dice (it ends all background after a rise to 0.39); no training "
           "finding for ce.", "",
           "| loss | real | real final Dice | real steps to 0.5 | real final foreground | simulation: collapse (LD504) |",
           "|---|---|---|---|---|---|"]
    for name in MULTICLASS:
        run = base if name == MULTICLASS_BASELINE else train_multiclass(name, data, args.steps, args.lr, args.batch, args.seed)
        real = real_outcome(run, base)
        last = run["curve"][-1]
        print(f"multi-class {name:16} real={real:13} dice={last[1]:.3f} fg={last[2]:.4f} steps={steps_to(run)}", flush=True)
        out.append(f"| {name} | {real} | {last[1]:.3f} | {steps_to(run)} | {last[2]:.4f} | {'yes' if name in MULTICLASS_SIMULATED_COLLAPSE else 'no'} |")
    return out


# ---------------------------------------------------------------------------------------------- Keras
# Run by --keras in a second process (PyTorch and TensorFlow clash in one): --keras-worker, with TensorFlow.
def keras_unet(task, width=8):
    """The same two-level U-Net in Keras, channels last, with the output activation of the loss's domain."""
    import keras
    from keras import layers
    volume = task["volume"]
    conv = layers.Conv3D if volume else layers.Conv2D
    shape = (4, 32, 32, 1) if volume else (32, 32, 1)
    x = keras.Input(shape)
    e1 = conv(width, 3, padding="same", activation="relu")(conv(width, 3, padding="same", activation="relu")(x))
    pooled = (layers.MaxPooling3D if volume else layers.MaxPooling2D)(2)(e1)
    e2 = conv(2 * width, 3, padding="same", activation="relu")(conv(2 * width, 3, padding="same", activation="relu")(pooled))
    up = (layers.UpSampling3D if volume else layers.UpSampling2D)(2)(e2)
    d1 = conv(width, 3, padding="same", activation="relu")(layers.Concatenate()([e1, up]))
    activation = None if task["domain"] == "logits" else ("sigmoid" if task["channels"] == 1 else "softmax")
    out = conv(task["channels"], 1, activation=activation)(d1)
    if not task["channels_last"]:
        out = layers.Permute((4, 1, 2, 3) if volume else (3, 1, 2))(out)
    return keras.Model(x, out)


def keras_targets(task, labels, keepdim=False):
    """Channels-last targets from N,1,... label maps: a float mask, one-hot floats, or class indices."""
    labels = np.moveaxis(labels, 1, -1)  # N,...,1
    if task["target"] == "index":
        target = labels.astype(np.float32) if keepdim else labels[..., 0].astype(np.float32)
        if task["ignore"] is not None:
            target = target.copy()
            if keepdim:
                target[..., :2, :, :] = task["ignore"]
            else:
                target[..., :2, :] = task["ignore"]
        return target
    if task["channels"] > 1:
        target = np.eye(task["channels"], dtype=np.float32)[labels[..., 0].astype(int)]
    else:
        target = labels.astype(np.float32)
    return target if task["channels_last"] else np.moveaxis(target, -1, 1)


def train_keras(task, loss_fn, data, args, keepdim=False, every=10):
    """model.fit with loss_fn, random batches, 10 steps an epoch; the curve as in train_task."""
    import keras
    import tensorflow as tf
    (xt, lt), (xv, lv) = data
    xt_k, xv_k = np.moveaxis(xt, 1, -1), np.moveaxis(xv, 1, -1)
    yt = keras_targets(task, lt, keepdim)
    keras.utils.set_random_seed(args.seed)
    model = keras_unet(task)
    model.compile(optimizer=keras.optimizers.Adam(args.lr), loss=loss_fn)
    curve, state = [], {"nan_step": None}

    def evaluate(step):
        z = model.predict(xv_k, verbose=0, batch_size=32)
        if not task["channels_last"]:
            z = np.moveaxis(z, 1, -1)
        cut = 0.0 if task["domain"] == "logits" else 0.5
        pred = (z[..., 0] > cut).astype(int) if task["channels"] == 1 else z.argmax(-1)
        curve.append((step, label_dice(pred, lv[:, 0], task["classes"]), float(np.mean(pred > 0))))

    class Every(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            step = (epoch + 1) * every
            if state["nan_step"] is None and (logs and not np.isfinite(logs.get("loss", 0.0))
                                              or not all(np.isfinite(w).all() for w in model.get_weights())):
                state["nan_step"] = step
            evaluate(step)

    rng = np.random.default_rng(args.seed)

    def batches():
        while True:
            idx = rng.integers(0, xt_k.shape[0], args.batch)
            yield xt_k[idx], yt[idx]

    evaluate(0)
    error = None
    try:
        model.fit(batches(), steps_per_epoch=every, epochs=args.steps // every, verbose=0, callbacks=[Every()])
    except Exception as e:  # noqa: BLE001 - the real framework's error is the outcome
        error = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"[:160]
    del tf
    return {"curve": curve, "nan_step": state["nan_step"], "error": error}


def keras_baseline(task):
    """Dice + BCE (one channel) or CE + Dice over the batch per class, on the model's output (channels last)."""
    from keras import ops
    logits = task["domain"] == "logits"

    def binary(y, p):
        p = ops.sigmoid(p) if logits else p
        p = ops.clip(p, EPS, 1 - EPS)
        bce = -ops.mean(y * ops.log(p) + (1 - y) * ops.log(1 - p))
        axes = tuple(range(1, len(p.shape)))
        dice = (2 * ops.sum(y * p, axes) + 1) / (ops.sum(y, axes) + ops.sum(p, axes) + 1)
        return bce + ops.mean(1 - dice)

    def multi(y, p):
        p = ops.softmax(p, -1) if logits else p
        p = ops.clip(p, EPS, 1 - EPS)
        ce = -ops.mean(ops.sum(y * ops.log(p), -1))
        axes = tuple(range(len(p.shape) - 1))
        dice = (2 * ops.sum(y * p, axes) + 1) / (ops.sum(y, axes) + ops.sum(p, axes) + 1)
        return ce + ops.mean(1 - dice)
    return binary if task["channels"] == 1 else multi


def keras_worker(args):
    import keras
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tasks = fixtures(args.corpus, {"keras", "tf", "tf1"})
    if args.only:
        tasks = [t for t in tasks if any(o in t["file"] for o in args.only.split(","))]
    versions = {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__}
    if args.reuse_real:
        rows, baselines = resimulate(args, tasks, args.reuse_real.replace(".json", "") + "-keras.json")
        return rows, baselines, versions
    rows, baselines = [], {}
    for task in tasks:
        data = task_data(task)
        bt = {**task, "target": "one-hot" if task["channels"] > 1 else "binary", "ignore": None, "channels_last": True}
        key = f"{task['channels']} channel(s), {task['classes']} classes" + (", 3-D" if task["volume"] else "") + f", model output {task['domain']}"
        if key not in baselines:
            baselines[key] = train_keras(bt, keras_baseline(bt), data, args)
        base = baselines[key]
        order = "target first"
        try:
            loss_fn = load_entry(task)
            run = train_keras(task, loss_fn, data, args)
            if run["error"] and not task["verified_raises"] and task["target"] == "index":
                retry = train_keras(task, loss_fn, data, args, keepdim=True)
                if not retry["error"]:
                    run, order = retry, order + ", index target N,...,1"
        except Exception as e:  # noqa: BLE001 - the file cannot even be loaded
            run = {"curve": [], "nan_step": None, "error": f"{type(e).__name__}: {e}"[:160]}
        rows.append(checked_row(args, task, run, order, base))
    return rows, baselines, versions


# ------------------------------------------------------------------------------------------- training
def train(name, data, steps, lr, batch, seed, every=10):
    domain, loss_fn = LOSSES[name]
    (xt, yt), (xv, yv) = data
    torch.manual_seed(seed)
    model = TinyUNet()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    curve, nan_step = [], None
    for step in range(steps + 1):
        if step % every == 0 or step == steps:
            with torch.no_grad():
                pred = model(xv) > 0
                tp = (pred & (yv > 0)).sum().item()
                fp = (pred & (yv == 0)).sum().item()
                fn = (~pred & (yv > 0)).sum().item()
                dice = 2 * tp / max(2 * tp + fp + fn, 1)
                curve.append((step, dice, pred.float().mean().item()))
        if step == steps:
            break
        idx = torch.randint(0, xt.shape[0], (batch,), generator=g)
        z = model(xt[idx])
        loss = loss_fn(yt[idx], z if domain == "z" else torch.sigmoid(z))
        if not loss.requires_grad:  # no differentiable path: nothing to update (TensorFlow skips it too)
            continue
        opt.zero_grad()
        loss.backward()
        grads_finite = all(p.grad is None or torch.isfinite(p.grad).all() for p in model.parameters())
        if nan_step is None and (not torch.isfinite(loss) or not grads_finite):
            nan_step = step
        opt.step()
    return {"curve": curve, "nan_step": nan_step}


def steps_to(run, target=0.5):
    return next((s for s, d, _ in run["curve"] if d >= target), None)


def real_outcome(run, base):
    final_dice, final_fg = run["curve"][-1][1], run["curve"][-1][2]
    if run["nan_step"] is not None or final_fg < 0.001 or final_dice < 0.1 or math.isnan(final_dice):
        return "cannot train"
    s, sb = steps_to(run), steps_to(base)
    if sb is not None and (s is None or s > 2 * sb):
        return "slow or poor"
    if final_dice < base["curve"][-1][1] - 0.2:
        return "slow or poor"
    return "trains"


def simulated(binary, name=None, path=None, function=None):
    """The simulated verdict of `loss-doctor check` on a built-in (name) or on one loss of a file (path and
    function), as a user runs it: no --target, --classes or --input."""
    # --timeout 300: the default 20 s per loss is a wall-clock limit, which a loaded machine (real training
    # beside it) can pass on a slow loss (soft clDice's skeleton): the verdict must not depend on the load.
    argv = [binary, "check", "--loss", name] if name else [binary, "check", path, "--function", function, "--timeout", "300"]
    try:
        out = subprocess.run(argv + ["--format", "json"], capture_output=True, text=True)
    except FileNotFoundError:
        return "trains", [f"no report: no binary {binary}"], {"final_dice": None}
    try:
        losses = json.loads(out.stdout)["losses"]
    except (json.JSONDecodeError, KeyError):
        return "trains", ["no report: " + (out.stderr.strip().splitlines() or ["?"])[-1]], {"final_dice": None}
    report = dict(losses[0]) if losses else {"findings": []}
    report.update(report.get("evidence") or {})
    codes = sorted({f["code"] for f in report["findings"] if f["code"].startswith("LD5")})
    sim = dict(report.get("simulation") or {})
    points = sim.get("points") or []
    sim["final_dice"] = points[-1]["dice"] if points else None
    sim["all_codes"] = sorted({f["code"] for f in report["findings"]})
    sim["inferred"] = inferred_task(binary, path, function) if path else "-"
    if "LD501" in codes or "LD504" in codes or "LD505" in codes:
        verdict = "cannot train"
    elif "LD502" in codes:
        verdict = "slow or poor"
    else:
        verdict = "trains"
    return verdict, codes, sim


def inferred_task(binary, path, function):
    """What the check inferred for a file's loss (target format, input domain, layout), from the text report's
    'called as' line (the JSON's probe_set names the probes' binary format only)."""
    out = subprocess.run([binary, "check", path, "--function", function, "--no-simulate", "--color", "never"],
                         capture_output=True, text=True).stdout
    m = re.search(r"input (\w+).*?layout (\w+).*?target (.+?) \((?:inferred|given|from)", out)
    if not m:
        m2 = re.search(r"input (\w+).*?layout (\w+)", out)
        return f"binary, {m2.group(1)}, {m2.group(2)}" if m2 else "?"
    return f"{m.group(3)}, {m.group(1)}, {m.group(2)}"


# --------------------------------------------------------------------------------------- the corpus
# Tests/Fixtures/real-world: each file's header says the framework, the loss entry point and what the real
# framework did on a batch (`# verified: ... ENTRY value V on a 2x3x16x16 logits batch, index target, ...`),
# from which the task is read: layout and classes from the shape, the input domain, the target format.
def parse_fixture(path):
    header = {}
    with open(path) as f:
        for line in f:
            if not line.startswith("#"):
                break
            m = re.match(r"# ([a-z-]+): (.*)", line)
            if m:
                header.setdefault(m.group(1), m.group(2).strip())
    verified = header.get("verified", "")
    m = re.match(r"[^:]*: (.+?) (?:value|raises) ", verified)
    entry = header.get("entry") or (m.group(1) if m else None)
    task = {"file": os.path.basename(path), "path": path, "framework": header.get("framework"), "entry": entry,
            "classes": int(header.get("classes", "1")), "target": header.get("target", "binary"),
            "ignore": int(header["ignore-index"]) if "ignore-index" in header else None,
            "volume": header.get("volume") == "3d", "domain": header.get("input", "probs"),
            "verified_raises": " raises " in verified.split(";")[0]}
    m = re.search(r"on a? ?((?:\d+x)+\d+) (?:normal(?:\([^)]*\))? )?(sigmoid|softmax|logits|log-probs)", verified)
    if m:
        shape = [int(d) for d in m.group(1).split("x")]
        task["domain"] = {"sigmoid": "probs", "softmax": "probs", "logits": "logits", "log-probs": "log-probs"}[m.group(2)]
        # (N, H, W): one map per image, the model's one channel squeezed away.
        task["channelless"] = len(shape) == 3
        task["channels_last"] = shape[-1] != 16 and not task["channelless"]
        task["channels"] = 1 if task["channelless"] else shape[-1] if task["channels_last"] else shape[1]
        task["volume"] = len(shape) == 5
    else:
        task["channels_last"] = task["framework"] != "torch"
        task["channels"] = task["classes"]
    if "index target" in verified:
        task["target"] = "index"
    elif "one-hot target" in verified:
        task["target"] = "one-hot"
    if task["channels"] > 1 and task["classes"] == 1:
        task["classes"] = task["channels"]
    return task


TARGET_NAMES = re.compile(r"(true|target|label|mask|gt|truth|^y$|^t$|^yt|^y_t)", re.I)


def argument_order(fn, keras_default):
    """'target first' when the loss's first parameter is named like a target (y_true, target, mask, ...),
    'prediction first' otherwise; Keras losses are called (y_true, y_pred) whatever their names."""
    if keras_default:
        return "target first"
    import inspect
    call = fn.forward if hasattr(fn, "forward") else fn
    try:
        params = [p for p in inspect.signature(call).parameters.values() if p.name != "self"]
    except (TypeError, ValueError):
        return "prediction first"
    if params and TARGET_NAMES.search(params[0].name) and not (len(params) > 1 and TARGET_NAMES.search(params[1].name)):
        return "target first"
    return "prediction first"


def smp_losses_only():
    """segmentation_models_pytorch's losses without its encoders: its package imports timm, and timm needs a
    torchvision built for the installed PyTorch (PyPI's wheels need CUDA next to a CPU-only PyTorch). The
    fixtures use only `smp.losses`, which needs nothing but PyTorch."""
    import importlib
    import importlib.util
    import types
    if "segmentation_models_pytorch" in sys.modules:
        return
    try:
        importlib.import_module("segmentation_models_pytorch")
        return
    except Exception:  # noqa: BLE001 - fall back to the losses subpackage alone
        for name in [m for m in sys.modules if m.startswith("segmentation_models_pytorch")]:
            del sys.modules[name]
    spec = importlib.util.find_spec("segmentation_models_pytorch")
    if spec is None:
        return
    package = types.ModuleType("segmentation_models_pytorch")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["segmentation_models_pytorch"] = package
    package.losses = importlib.import_module("segmentation_models_pytorch.losses")


def load_entry(task):
    """exec the fixture (plain Python written by us) and evaluate its entry: a function, a constructor call
    or a factory call."""
    if task["framework"] == "torch":
        smp_losses_only()
    namespace = {"__name__": "fixture", "__file__": task["path"]}
    with open(task["path"]) as f:
        exec(compile(f.read(), task["path"], "exec"), namespace)
    return eval(task["entry"], namespace)


def volume_of(array):
    """N,C,H,W -> N,C,4,H,W: the image shifted by one pixel a slice, as the fixtures' verification did."""
    return np.stack([np.roll(array, d, axis=-1) for d in range(4)], axis=2)


def task_data(task, seed=20240404):
    """Training and validation images (N,1,[D,]H,W) and label maps (same shape) for the task: binary data for
    one or two classes, background plus C - 1 object classes otherwise (the built-ins' data for binary)."""
    objects = max(1, task["classes"] - 1)
    rng = np.random.default_rng(seed if objects == 1 else seed + objects)
    train, val = make_split_np(64, 32, rng, object_classes=objects), make_split_np(32, 32, rng, object_classes=objects)
    if task["volume"]:
        train, val = tuple(map(volume_of, train)), tuple(map(volume_of, val))
    return train, val


def label_dice(pred, labels, classes):
    """Validation Dice pooled over the set: of the foreground for one channel, else the mean over the object
    classes of the arg max (an object class absent from prediction and truth counts 1)."""
    dices = []
    for c in range(1, max(2, classes)):
        tp = np.sum((pred == c) & (labels == c))
        fp = np.sum((pred == c) & (labels != c))
        fn = np.sum((pred != c) & (labels == c))
        dices.append(1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(dices))


def torch_targets(task, labels):
    """Targets as the loss expects them, from N,1,... label maps: a float mask (binary), a one-hot float
    tensor (N,C,...), or class indices (N,...), channels last when the loss's layout is."""
    labels = torch.from_numpy(labels)
    if task["target"] == "index":
        target = labels[:, 0].long()
        return target
    if task["channels"] > 1:
        target = F.one_hot(labels[:, 0].long(), task["channels"]).movedim(-1, 1).float()
    elif task.get("channelless"):
        return labels[:, 0].float()
    else:
        target = labels.float()
    return target.movedim(1, -1) if task["channels_last"] else target


def with_ignored_rows(task, target):
    """Index targets of losses with an ignore index get it on the first two rows of every image."""
    if task["ignore"] is None or task["target"] != "index":
        return target
    target = target.clone()
    target[..., :2, :] = task["ignore"]
    return target


def torch_prediction(task, z):
    """The model's logits (N,C,...) as the loss takes them: probabilities through sigmoid (one channel or a
    multi-label loss on one-hot targets with sigmoid) or softmax, channels last when the loss's layout is."""
    if task["domain"] == "probs":
        z = torch.sigmoid(z) if task["channels"] == 1 else torch.softmax(z, 1)
    elif task["domain"] == "log-probs":
        z = F.logsigmoid(z) if task["channels"] == 1 else torch.log_softmax(z, 1)
    if task.get("channelless"):
        return z[:, 0]
    return z.movedim(1, -1) if task["channels_last"] else z


def train_task(task, loss_fn, data, args, order="prediction first", every=10):
    """The U-Net trained with loss_fn on the task; the curve of (step, validation Dice, predicted foreground)."""
    (xt, lt), (xv, lv) = data
    xt_t, xv_t = torch.from_numpy(xt), torch.from_numpy(xv)
    yt = with_ignored_rows(task, torch_targets(task, lt))
    if task["target"] == "index" and getattr(args, "_index_keepdim", False):
        yt = yt[:, None]
    torch.manual_seed(args.seed)
    model = TinyUNet(outputs=task["channels"], volume=task["volume"])
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    g = torch.Generator().manual_seed(args.seed)
    curve, nan_step, error, error_step = [], None, None, None
    for step in range(args.steps + 1):
        if step % every == 0 or step == args.steps:
            with torch.no_grad():
                z = model(xv_t)
                pred = (z[:, 0] > 0).long().numpy() if task["channels"] == 1 else z.argmax(1).numpy()
                curve.append((step, label_dice(pred, lv[:, 0], task["classes"]), float(np.mean(pred > 0))))
        if step == args.steps:
            break
        idx = torch.randint(0, xt_t.shape[0], (args.batch,), generator=g)
        prediction, target = torch_prediction(task, model(xt_t[idx])), yt[idx]
        try:
            loss = loss_fn(target, prediction) if order == "target first" else loss_fn(prediction, target)
            if isinstance(loss, (tuple, list)):
                loss = loss[0]
            loss = loss.mean() if loss.dim() > 0 else loss
        except Exception as e:  # noqa: BLE001 - the real framework's error is the outcome
            error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:160]
            error_step = step
            break
        if not loss.requires_grad:  # no differentiable path: nothing to update (TensorFlow raises instead)
            continue
        opt.zero_grad()
        try:
            loss.backward()
        except Exception as e:  # noqa: BLE001
            error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:160]
            error_step = step
            break
        grads_finite = all(p.grad is None or torch.isfinite(p.grad).all() for p in model.parameters())
        if nan_step is None and (not torch.isfinite(loss) or not grads_finite):
            nan_step = step
        opt.step()
    return {"curve": curve, "nan_step": nan_step, "error": error, "error_step": error_step}


def baseline_loss(task):
    """Dice + BCE for one channel, CE + Dice (per class over the batch) for C channels: on NCHW logits."""
    if task["channels"] == 1:
        return lambda z, y: kbce(y, torch.sigmoid(z)).mean() + soft_dice(y, torch.sigmoid(z))
    dims = (0,) + tuple(range(2, z_dims(task)))
    return lambda z, y: -(y * F.log_softmax(z, 1)).sum(1).mean() + (1 - class_dice(y, F.softmax(z, 1), dims)).mean()


def z_dims(task):
    return 5 if task["volume"] else 4


def baseline_task(task):
    return {**task, "domain": "logits", "channels_last": False, "target": "one-hot" if task["channels"] > 1 else "binary",
            "ignore": None, "file": "baseline", "entry": "dice-bce" if task["channels"] == 1 else "ce-dice"}


def real_outcome_of(run, base):
    if run.get("error"):
        return "cannot train"
    return real_outcome(run, base)


def corpus_row(task, run, base, sim):
    verdict, codes, simulation = sim
    last = run["curve"][-1] if run["curve"] else (0, float("nan"), float("nan"))
    return {"loss": f"{task['file']}: {task['entry']}", "file": task["file"], "entry": task["entry"],
            "task": task_label(task), "real": real_outcome_of(run, base), "sim": verdict, "codes": codes,
            "all_codes": simulation.get("all_codes", []), "final_dice": last[1], "final_foreground": last[2],
            "steps_to_dice": steps_to(run) if run["curve"] else None, "nan_step": run["nan_step"], "error": run.get("error"),
            "error_step": run.get("error_step"),
            "baseline_steps": steps_to(base), "baseline_dice": base["curve"][-1][1],
            "sim_final_dice": simulation.get("final_dice"), "sim_steps_to_dice": simulation.get("steps_to_dice"),
            "sim_inferred": simulation.get("inferred", "-")}


def task_label(task):
    kind = "binary" if task["channels"] == 1 else f"{task['classes']}-class {task['target']}"
    return f"{kind}, {task['domain']}, {'channels last' if task['channels_last'] else 'channels first'}" + (", 3-D" if task["volume"] else "") + (
        f", ignore {task['ignore']}" if task["ignore"] is not None and task["target"] == "index" else "")


def fixtures(directory, frameworks):
    tasks = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(".py"):
            task = parse_fixture(os.path.join(directory, name))
            if task["framework"] in frameworks and task["entry"]:
                tasks.append(task)
    return tasks


def checked_row(args, task, run, order, base):
    """One corpus row: the real run beside what the check (and --before's binary) simulates, printed as it goes."""
    row = corpus_row(task, run, base, simulated(args.loss_doctor, path=task["path"], function=task["entry"]))
    row["order"] = order
    if args.before:
        row["before"] = simulated(args.before, path=task["path"], function=task["entry"])[0]
    print(f"{row['loss'][:60]:60} real={row['real']:13} sim={row['sim']:13} dice={row['final_dice']:.3f} "
          f"steps={row['steps_to_dice']} base={row['baseline_steps']} codes={row['codes']} {row['error'] or ''}", flush=True)
    return row


def resimulate(args, tasks, path):
    """The real side from an earlier run's results (--reuse-real), the simulated side anew: real training is
    deterministic and takes most of the time; after a change to the simulation only the check must rerun."""
    with open(path) as f:
        saved = json.load(f)
    real = {x["loss"]: x for x in saved["rows"]}
    rows = []
    for task in tasks:
        row = dict(real[f"{task['file']}: {task['entry']}"])
        verdict, codes, simulation = simulated(args.loss_doctor, path=task["path"], function=task["entry"])
        row.update({"sim": verdict, "codes": codes, "all_codes": simulation.get("all_codes", []),
                    "sim_final_dice": simulation.get("final_dice"), "sim_steps_to_dice": simulation.get("steps_to_dice"),
                    "sim_inferred": simulation.get("inferred", "-")})
        if args.before:
            row["before"] = simulated(args.before, path=task["path"], function=task["entry"])[0]
        rows.append(row)
        print(f"{row['loss'][:60]:60} real={row['real']:13} sim={row['sim']:13} before={row.get('before')} codes={row['codes']}", flush=True)
    return rows, saved["baselines"]


def torch_corpus(args):
    tasks = fixtures(args.corpus, {"torch"})
    if args.only:
        tasks = [t for t in tasks if any(o in t["file"] for o in args.only.split(","))]
    if args.reuse_real:
        return resimulate(args, tasks, args.reuse_real.replace(".json", "") + "-torch.json")
    rows, baselines = [], {}
    for task in tasks:
        key = f"{task['channels']} channel(s), {task['classes']} classes" + (", 3-D" if task["volume"] else "")
        data = task_data(task)
        if key not in baselines:
            bt = baseline_task(task)
            baselines[key] = train_task(bt, baseline_loss(task), data, args)
        base = baselines[key]
        try:
            loss_fn = load_entry(task)
            order = argument_order(loss_fn, keras_default=False)
            run = train_task(task, loss_fn, data, args, order)
            if run["error"] and run["error_step"] == 0 and not task["verified_raises"]:
                # The target layout or the argument order guessed wrong? The header says it ran: try the others.
                # Only for a first call that raised: a loss that raises later (its NaN gradient poisoned the model
                # and PyTorch then refuses the NaN prediction) was called right and failed in training.
                swapped = "target first" if order == "prediction first" else "prediction first"
                variants = [(order, True), (swapped, False), (swapped, True)] if task["target"] == "index" else [(swapped, False)]
                for variant, keepdim in variants:
                    retry = train_task(task, loss_fn, data, argparse.Namespace(**vars(args), _index_keepdim=keepdim), variant)
                    if not retry["error"]:
                        run, order = retry, variant + (", index target N,1,..." if keepdim else "")
                        break
        except Exception as e:  # noqa: BLE001 - the file cannot even be loaded
            run, order = {"curve": [], "nan_step": None, "error": f"{type(e).__name__}: {e}"[:160]}, "-"
        rows.append(checked_row(args, task, run, order, base))
    return rows, baselines


CLASSES = ["cannot train", "slow or poor", "trains"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--loss-doctor", default=".build/release/loss-doctor")
    ap.add_argument("--before", help="an older loss-doctor binary to compare with (matrix before)")
    ap.add_argument("--losses", help="comma-separated subset of built-ins (default: all)")
    ap.add_argument("--corpus", help="the real-world corpus directory (Tests/Fixtures/real-world): its PyTorch losses")
    ap.add_argument("--keras", action="store_true", help="the corpus's TensorFlow/Keras losses, in a second process")
    ap.add_argument("--keras-python", default="/tmp/kerasvenv/bin/python", help="a Python with tensorflow (for --keras)")
    ap.add_argument("--keras-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--builtins", action="store_true", help="also the built-ins when --corpus or --keras is given")
    ap.add_argument("--only", help="comma-separated substrings of fixture file names (a subset of the corpus)")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="docs/simulation-validity.md")
    ap.add_argument("--results", help="also write the raw results as JSON here (the corpus's as NAME-torch.json, NAME-keras.json)")
    ap.add_argument("--reuse-real", metavar="RESULTS", help="take the corpus's real side from an earlier --results RESULTS run; rerun only the check")
    ap.add_argument("--multiclass-only", action="store_true", help="only the multi-class section, printed")
    args = ap.parse_args()

    if args.keras_worker:
        rows, baselines, versions = keras_worker(args)
        with open(args.results, "w") as f:
            json.dump({"rows": rows, "baselines": baselines, "versions": versions}, f, indent=1)
        return
    torch.set_num_threads(1)
    if args.multiclass_only:
        print("\n".join(multiclass_section(args)))
        return
    if args.builtins or not (args.corpus or args.keras):
        builtins_section(args)
    if args.corpus:
        rows, baselines = torch_corpus(args)
        versions = {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__}
        if args.results:
            with open(args.results.replace(".json", "") + "-torch.json", "w") as f:
                json.dump({"rows": rows, "baselines": baselines}, f, indent=1)
        write_section(args.out, "pytorch-corpus", corpus_section(
            "PyTorch real-world corpus", args, rows, baselines, versions, "PyTorch", "torch"))
    if args.keras:
        corpus = args.corpus or "Tests/Fixtures/real-world"
        results = args.results.replace(".json", "") + "-keras.json" if args.results else "/tmp/validate-simulation-keras.json"
        argv = [args.keras_python, os.path.abspath(__file__), "--keras-worker", "--corpus", corpus, "--results", results,
                "--loss-doctor", args.loss_doctor, "--steps", str(args.steps), "--lr", str(args.lr),
                "--batch", str(args.batch), "--seed", str(args.seed)]
        argv += ["--before", args.before] if args.before else []
        argv += ["--only", args.only] if args.only else []
        argv += ["--reuse-real", args.reuse_real] if args.reuse_real else []
        subprocess.run(argv, check=True)
        with open(results) as f:
            result = json.load(f)
        baselines = {k: v for k, v in result["baselines"].items()}
        write_section(args.out, "keras-corpus", corpus_section(
            "Keras real-world corpus", args, result["rows"], baselines, result["versions"], "Keras 3 (`model.fit`)", "keras"))


def builtins_section(args):
    rng = np.random.default_rng(20240404)
    data = (make_split(64, 32, rng), make_split(32, 32, rng))
    names = args.losses.split(",") if args.losses else list(LOSSES)
    base = train(BASELINE, data, args.steps, args.lr, args.batch, args.seed)
    rows = []
    for name in names:
        run = base if name == BASELINE else train(name, data, args.steps, args.lr, args.batch, args.seed)
        real = real_outcome(run, base)
        sim, codes, simulation = simulated(args.loss_doctor, name)
        before = simulated(args.before, name)[0] if args.before else None
        rows.append({"loss": name, "real": real, "sim": sim, "codes": codes, "before": before,
                     "final_dice": run["curve"][-1][1], "final_foreground": run["curve"][-1][2],
                     "steps_to_dice": steps_to(run), "nan_step": run["nan_step"],
                     "sim_final_dice": simulation.get("final_dice"), "sim_steps_to_dice": simulation.get("steps_to_dice")})
        print(f"{name:22} real={real:13} sim={sim:13} before={before} dice={rows[-1]['final_dice']:.3f} steps={rows[-1]['steps_to_dice']} codes={codes}", flush=True)
    if args.results:
        with open(args.results, "w") as f:
            json.dump({"rows": rows, "baseline": base}, f, indent=1)
    write_section(args.out, "builtins", builtins_report(args, rows, base, multiclass_section(args)))


def matrix(rows, key):
    lines = ["| real \\ simulated | " + " | ".join(CLASSES) + " |", "|---|" + "---|" * len(CLASSES)]
    for r in CLASSES:
        lines.append(f"| {r} | " + " | ".join(str(sum(1 for x in rows if x["real"] == r and x[key] == s)) for s in CLASSES) + " |")
    agree = sum(1 for x in rows if x["real"] == x[key])
    return lines, agree


SECTIONS = ["builtins", "pytorch-corpus", "keras-corpus"]
TITLE = ["# Does the simulation predict real training?", "",
         "Generated in parts by `Scripts/validate-simulation.py` (not run in CI): the built-in losses (default), the "
         "PyTorch losses of the real-world corpus (`--corpus Tests/Fixtures/real-world`) and its TensorFlow/Keras "
         "losses (`--keras`, in a second Python with TensorFlow). Each run rewrites only its own part; the parts "
         "measured by hand at the end are kept."]


def write_section(path, key, lines):
    """Replaces the part between `<!-- begin KEY -->` and `<!-- end KEY -->` of the document, or inserts it
    after the parts before it (before the hand-measured notes), keeping everything else."""
    begin, end = f"<!-- begin {key} -->", f"<!-- end {key} -->"
    block = [begin, ""] + list(lines) + ["", end]
    text = open(path).read().splitlines() if os.path.exists(path) else list(TITLE) + [""]
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + 1:]
    else:
        earlier = [f"<!-- end {k} -->" for k in SECTIONS[:SECTIONS.index(key)]]
        later = [f"<!-- begin {k} -->" for k in SECTIONS[SECTIONS.index(key) + 1:]]
        at = next((text.index(m) for m in later if m in text), None)
        if at is None:
            at = max((text.index(m) + 1 for m in earlier if m in text), default=None)
            if at is not None:
                block = [""] + block
        if at is None:
            at = next((i for i, line in enumerate(text) if line.startswith("## Measured by hand")), len(text))
        text = text[:at] + block + [""] + text[at:]
    with open(path, "w") as f:
        f.write("\n".join(text).rstrip("\n") + "\n")
    print(f"wrote {key} in {path}")


def git_revision():
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or "?"


def corpus_section(title, args, rows, baselines, versions, framework, prefix):
    versions_text = ", ".join(f"{k} {v}" for k, v in versions.items())
    out = [f"## {title}", "",
           f"Generated by `Scripts/validate-simulation.py --corpus {args.corpus or 'Tests/Fixtures/real-world'}"
           f"{' --keras' if prefix == 'keras' else ''}` on {datetime.date.today().isoformat()} ({versions_text}; "
           f"loss-doctor built from commit {git_revision()}{', before: ' + args.before if args.before else ''}).", "",
           "### Setup", "",
           f"- Losses: every {framework} fixture of the corpus whose header names its entry point (the `# entry:` line "
           "or the loss of the `# verified:` line: a function, a constructor call or a factory call), imported by "
           "executing the file. NumPy fixtures are left out (no autodiff: not simulated).",
           "- Task, read from the header: layout and number of channels from the verified batch's shape, input "
           "domain from its `sigmoid`/`softmax`/`logits` batch (the model's output goes through sigmoid or softmax for "
           "a loss on probabilities), target format (`binary` float mask, `one-hot`, class `index`) from `# target:` or "
           "the verified line, C from `# classes:`, 3-D volumes (depth 4, the image shifted a pixel a slice) from "
           "`# volume: 3d`; with an `# ignore-index:` the first two rows of every training target hold it.",
           f"- Real training: the U-Net of the built-in part ({framework}; C output channels; 3-D convolutions for "
           f"volumes), Adam {args.lr}, {args.steps} steps of random batches of {args.batch}, on the built-ins' synthetic "
           "data (64 training, 32 validation 32x32 images) for one or two classes, and on the same kind of images with "
           "C - 1 object classes (bright, dark, brighter ellipses) for C >= 3. Validation Dice every 10 steps: of the "
           "foreground (logit > 0) for one channel, else the mean over the object classes of the arg max.",
           "- Baseline of each task, trained identically: Dice + BCE for one channel, CE + Dice (per class over the "
           "batch) for C channels; *cannot train* / *slow or poor* / *trains* as in the built-in part, against it. A "
           "loss that raises in real training (or cannot be imported) counts as *cannot train*.",
           "- Simulated verdict: `loss-doctor check FILE --function ENTRY --timeout 300 --format json`, as a user runs it (no "
           "`--target`, `--classes` or `--input`: the task is inferred); LD501, LD504 or LD505 = cannot train, LD502 = slow "
           "or poor, none = trains.", "",
           "Baselines (task: steps to Dice 0.5, final Dice):", ""]
    for key, base in baselines.items():
        out.append(f"- {key}: {steps_to(base)}, {base['curve'][-1][1]:.3f}")
    raised = [x for x in rows if raised_at_call(x)]
    every, rows = rows, [x for x in rows if not raised_at_call(x)]
    lines, agree = matrix(rows, "sim")
    n = max(len(rows), 1)
    out += ["", "### Confusion matrix (rows real, columns simulated)", "",
            f"Over the {len(rows)} losses that ran in real training ({len(raised)} more raised when called: below; "
            "Keras' `No gradients provided` counts as a run that cannot train).", ""] + lines + ["",
            f"Agreement: {agree} of {len(rows)} ({100 * agree / n:.0f} %)."]
    if rows and rows[0].get("before") is not None:
        lines, agree_before = matrix(rows, "before")
        out += ["", "### Confusion matrix before", ""] + lines + ["", f"Agreement before: {agree_before} of {len(rows)} ({100 * agree_before / n:.0f} %)."]
    if raised:
        out += ["", "### Losses that raised in real training (not in the matrix)", "",
                "They cannot train; whether the check saw it is the column *check's errors* (LD6xx/LD9xx: the loss "
                "raises or cannot be read), not a simulated verdict.", "",
                "| loss | task | real error | check's codes | check's errors |", "|---|---|---|---|---|"]
        for x in raised:
            errors = [c for c in x["all_codes"] if c.startswith(("LD6", "LD9"))]
            out.append(f"| {x['loss']} | {x['task']} | {x['error'].replace('|', '/')} | {' '.join(x['all_codes']) or '-'} | {' '.join(errors) or 'none'} |")
    out += ["", "### Disagreements", "",
            "| loss | task | real | real final Dice | real steps to 0.5 (baseline) | real final foreground | real error | simulated | simulated codes | simulated final Dice | simulated steps to 0.5 | inferred by the check (target, input, layout) |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for x in rows:
        if x["real"] != x["sim"]:
            out.append(corpus_line(x))
    out += ["", "### Every loss", "", "| loss | task | real | simulated | codes (all) | real final Dice | real steps to 0.5 |", "|---|---|---|---|---|---|---|"]
    for x in every:
        fd = "-" if x["final_dice"] is None or (isinstance(x["final_dice"], float) and math.isnan(x["final_dice"])) else f"{x['final_dice']:.3f}"
        out.append(f"| {x['loss']} | {x['task']} | {x['real']} | {x['sim']} | {' '.join(x['all_codes']) or '-'} | {fd} | {x['steps_to_dice']} |")
    return out


def raised_at_call(row):
    """The loss raised when called (or could not be imported): not a training outcome the simulation predicts.
    Keras' "No gradients provided" is one: model.fit's way of saying the loss has no gradient (PyTorch's runs
    skip the update instead), so it stays in the matrix as *cannot train*."""
    return bool(row.get("error")) and "No gradients provided" not in row["error"] and not row.get("error_step")


def corpus_line(x):
    def num(v, fmt="{:.3f}"):
        return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt.format(v)
    error = (x.get("error") or "-").replace("|", "/")
    nan = f" (NaN at step {x['nan_step']})" if x.get("nan_step") is not None else ""
    return (f"| {x['loss']} | {x['task']} | {x['real']}{nan} | {num(x['final_dice'])} | {x['steps_to_dice']} ({x['baseline_steps']}) | "
            f"{num(x['final_foreground'], '{:.4f}')} | {error} | {x['sim']} | {' '.join(x['codes']) or '-'} | "
            f"{num(x['sim_final_dice'])} | {x['sim_steps_to_dice']} | {x.get('sim_inferred', '-')} |")


def builtins_report(args, rows, base, extra=()):
    sb = steps_to(base)
    out = ["## Built-in losses (the reference set)", "",
           f"Generated by `Scripts/validate-simulation.py` on {datetime.date.today().isoformat()} "
           f"(Python {platform.python_version()}, PyTorch {torch.__version__}, NumPy {np.__version__}).", "",
           "### Setup", "",
           f"- Real training: a two-level U-Net (8 and 16 channels, {sum(p.numel() for p in TinyUNet().parameters())} parameters, "
           f"PyTorch default initialisation), Adam (learning rate {args.lr}), {args.steps} steps of batches of {args.batch}, "
           "on 64 synthetic 32x32 images of ellipses of varied size on Gaussian noise (σ 0.6, every fourth image empty, "
           "some tiny objects), validated every 10 steps on 32 more (thresholded at 0.5, Dice pooled over the set).",
           f"- Baseline: `{BASELINE}` reaches validation Dice 0.5 at step {sb} and ends at {base['curve'][-1][1]:.3f}.",
           "- Real outcome: *cannot train* when the loss or its gradient turns NaN, the final prediction holds under "
           "0.1 % foreground or the final Dice is under 0.1; *slow or poor* when Dice 0.5 comes after more than 2x "
           "the baseline's steps or never, or the final Dice is more than 0.2 below the baseline's; *trains* otherwise.",
           "- Simulated verdict: `loss-doctor check --loss NAME --format json`; LD501, LD504 or LD505 = cannot train, "
           "LD502 = slow or poor, none = trains.",
           f"- Losses: the {len(rows)} built-ins of the reference set, written in PyTorch in the script.", ""]
    lines, agree = matrix(rows, "sim")
    out += ["### Confusion matrix (this version)", ""] + lines + ["",
            f"Agreement: {agree} of {len(rows)} ({100 * agree / len(rows):.0f} %)."]
    if rows and rows[0]["before"] is not None:
        lines, agree_before = matrix(rows, "before")
        out += ["", "### Confusion matrix (before)", ""] + lines + [
            "", f"Agreement: {agree_before} of {len(rows)} ({100 * agree_before / len(rows):.0f} %)."]
    out += ["", "### Disagreements", "",
            "| loss | real | real final Dice | real steps to 0.5 | real final foreground | simulated | simulated codes | simulated final Dice | simulated steps to 0.5 |",
            "|---|---|---|---|---|---|---|---|---|"]
    for x in rows:
        if x["real"] != x["sim"]:
            sim_dice = "-" if x["sim_final_dice"] is None else f"{x['sim_final_dice']:.3f}"
            out.append(f"| {x['loss']} | {x['real']} | {x['final_dice']:.3f} | {x['steps_to_dice']} | {x['final_foreground']:.4f} | "
                       f"{x['sim']} | {' '.join(x['codes']) or '-'} | {sim_dice} | {x['sim_steps_to_dice']} |")
    out += ["", "### Every loss", "", "| loss | real | simulated | codes | real final Dice | real steps to 0.5 |", "|---|---|---|---|---|---|"]
    for x in rows:
        out.append(f"| {x['loss']} | {x['real']} | {x['sim']} | {' '.join(x['codes']) or '-'} | {x['final_dice']:.3f} | {x['steps_to_dice']} |")
    return out + list(extra)


if __name__ == "__main__":
    main()
