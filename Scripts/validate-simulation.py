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
Simulated verdict, from the training rules of the check: LD501 (stalled) or LD504 (collapse to background)
-> cannot train; LD502 (slow) -> slow or poor; none of them -> trains.
"""
import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

EPS = 1e-7  # Keras' epsilon: the built-ins follow Keras' clipping


# ----------------------------------------------------------------------------------------------- data
def make_split(count, size, rng, noise=0.6, object_classes=1):
    """Images of ellipses of varied size (some tiny, every fourth image empty) on Gaussian noise. With two
    object classes, class 1 is bright (+1) and class 2 dark (-1), as in the simulation; masks hold labels."""
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
        intensity = np.select([masks[s, 0] == 1, masks[s, 0] == 2], [1.0, -1.0], 0.0)
        images[s, 0] = intensity + noise * rng.standard_normal((size, size))
    return torch.from_numpy(images), torch.from_numpy(masks)


# ---------------------------------------------------------------------------------------------- model
class TinyUNet(nn.Module):
    """Two levels, 8 and 16 channels: about 6k parameters."""

    def __init__(self, width=8, outputs=1):
        super().__init__()
        w = width
        self.enc1 = nn.Sequential(nn.Conv2d(1, w, 3, padding=1), nn.ReLU(), nn.Conv2d(w, w, 3, padding=1), nn.ReLU())
        self.enc2 = nn.Sequential(nn.Conv2d(w, 2 * w, 3, padding=1), nn.ReLU(), nn.Conv2d(2 * w, 2 * w, 3, padding=1), nn.ReLU())
        self.dec1 = nn.Sequential(nn.Conv2d(3 * w, w, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(w, outputs, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
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
# asserts no training finding for ce; ce-dice is the baseline.
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
    out = ["", "## Multi-class (C = 3), real side", "",
           "The same U-Net with three output channels, on the same kind of images with background and two object "
           "classes (bright and dark ellipses), Dice = mean over the object classes of the arg max. The simulated "
           "side is pinned by `MultiClassSimulationTests` (check cannot be told a multi-class target format from the "
           "command line yet): LD504 for per-pixel-dice, pooled-dice and softmax-dice, no training finding for ce.", "",
           "| loss | real | real final Dice | real steps to 0.5 | real final foreground | simulation: collapse (LD504) |",
           "|---|---|---|---|---|---|"]
    for name in MULTICLASS:
        run = base if name == MULTICLASS_BASELINE else train_multiclass(name, data, args.steps, args.lr, args.batch, args.seed)
        real = real_outcome(run, base)
        last = run["curve"][-1]
        print(f"multi-class {name:16} real={real:13} dice={last[1]:.3f} fg={last[2]:.4f} steps={steps_to(run)}", flush=True)
        out.append(f"| {name} | {real} | {last[1]:.3f} | {steps_to(run)} | {last[2]:.4f} | {'yes' if name in MULTICLASS_SIMULATED_COLLAPSE else 'no'} |")
    return out


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


def simulated(binary, name):
    out = subprocess.run([binary, "check", "--loss", name, "--format", "json"], capture_output=True, text=True)
    report = json.loads(out.stdout)["losses"][0]
    report.update(report.get("evidence") or {})
    codes = sorted({f["code"] for f in report["findings"] if f["code"].startswith("LD5")})
    sim = dict(report.get("simulation") or {})
    points = sim.get("points") or []
    sim["final_dice"] = points[-1]["dice"] if points else None
    if "LD501" in codes or "LD504" in codes:
        verdict = "cannot train"
    elif "LD502" in codes:
        verdict = "slow or poor"
    else:
        verdict = "trains"
    return verdict, codes, sim


CLASSES = ["cannot train", "slow or poor", "trains"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--loss-doctor", default=".build/release/loss-doctor")
    ap.add_argument("--before", help="an older loss-doctor binary to compare with (matrix before)")
    ap.add_argument("--losses", help="comma-separated subset of built-ins (default: all)")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="docs/simulation-validity.md")
    ap.add_argument("--results", help="also write the raw results as JSON here")
    ap.add_argument("--multiclass-only", action="store_true", help="only the multi-class section, printed")
    args = ap.parse_args()
    torch.set_num_threads(1)

    if args.multiclass_only:
        print("\n".join(multiclass_section(args)))
        return
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
    write_report(args, rows, base, multiclass_section(args))


def matrix(rows, key):
    lines = ["| real \\ simulated | " + " | ".join(CLASSES) + " |", "|---|" + "---|" * len(CLASSES)]
    for r in CLASSES:
        lines.append(f"| {r} | " + " | ".join(str(sum(1 for x in rows if x["real"] == r and x[key] == s)) for s in CLASSES) + " |")
    agree = sum(1 for x in rows if x["real"] == x[key])
    return lines, agree


def write_report(args, rows, base, extra=()):
    sb = steps_to(base)
    out = ["# Does the simulation predict real training?", "",
           f"Generated by `Scripts/validate-simulation.py` on {datetime.date.today().isoformat()} "
           f"(Python {platform.python_version()}, PyTorch {torch.__version__}, NumPy {np.__version__}); "
           "not run in CI.", "",
           "## Setup", "",
           f"- Real training: a two-level U-Net (8 and 16 channels, {sum(p.numel() for p in TinyUNet().parameters())} parameters, "
           f"PyTorch default initialisation), Adam (learning rate {args.lr}), {args.steps} steps of batches of {args.batch}, "
           "on 64 synthetic 32x32 images of ellipses of varied size on Gaussian noise (σ 0.6, every fourth image empty, "
           "some tiny objects), validated every 10 steps on 32 more (thresholded at 0.5, Dice pooled over the set).",
           f"- Baseline: `{BASELINE}` reaches validation Dice 0.5 at step {sb} and ends at {base['curve'][-1][1]:.3f}.",
           "- Real outcome: *cannot train* when the loss or its gradient turns NaN, the final prediction holds under "
           "0.1 % foreground or the final Dice is under 0.1; *slow or poor* when Dice 0.5 comes after more than 2x "
           "the baseline's steps or never, or the final Dice is more than 0.2 below the baseline's; *trains* otherwise.",
           "- Simulated verdict: `loss-doctor check --loss NAME --format json`; LD501 or LD504 = cannot train, "
           "LD502 = slow or poor, none = trains.",
           f"- Losses: the {len(rows)} built-ins of the reference set, written in PyTorch in the script. The real-world "
           "corpus (Tests/Fixtures/real-world) and Keras `model.fit` are not covered yet.", ""]
    lines, agree = matrix(rows, "sim")
    out += ["## Confusion matrix (this version)", ""] + lines + ["",
            f"Agreement: {agree} of {len(rows)} ({100 * agree / len(rows):.0f} %)."]
    if rows and rows[0]["before"] is not None:
        lines, agree_before = matrix(rows, "before")
        out += ["", "## Confusion matrix (before: binary-only simulation, median-of-references yardstick, no LD504)", ""] + lines + [
            "", f"Agreement: {agree_before} of {len(rows)} ({100 * agree_before / len(rows):.0f} %)."]
    out += ["", "## Disagreements", "",
            "| loss | real | real final Dice | real steps to 0.5 | real final foreground | simulated | simulated codes | simulated final Dice | simulated steps to 0.5 |",
            "|---|---|---|---|---|---|---|---|---|"]
    for x in rows:
        if x["real"] != x["sim"]:
            sim_dice = "-" if x["sim_final_dice"] is None else f"{x['sim_final_dice']:.3f}"
            out.append(f"| {x['loss']} | {x['real']} | {x['final_dice']:.3f} | {x['steps_to_dice']} | {x['final_foreground']:.4f} | "
                       f"{x['sim']} | {' '.join(x['codes']) or '-'} | {sim_dice} | {x['sim_steps_to_dice']} |")
    out += ["", "## Every loss", "", "| loss | real | simulated | codes | real final Dice | real steps to 0.5 |", "|---|---|---|---|---|---|"]
    for x in rows:
        out.append(f"| {x['loss']} | {x['real']} | {x['sim']} | {' '.join(x['codes']) or '-'} | {x['final_dice']:.3f} | {x['steps_to_dice']} |")
    out += list(extra)
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
