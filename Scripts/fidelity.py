#!/usr/bin/env python3
"""The fidelity table: LossDoctor's numbers next to the real frameworks' on the same arrays.

Run on a machine with the frameworks installed with pip (not in CI). Each framework runs in its own
process (TensorFlow and PyTorch in one process fight over threads and memory):

    swift build
    python3 Scripts/fidelity.py --loss-doctor .build/debug/loss-doctor \\
        --torch-python /path/to/torch-venv/bin/python --tf-python /path/to/tf-venv/bin/python \\
        --out docs/fidelity.md --fixtures Tests/Fixtures/fidelity

Rows: every built-in with a `show --framework keras|torch` source (the built-in and the interpreted source,
each against the framework running that source), every loss fixture that names its framework, and one row
per modelled framework API (`K.`, `tf.`, `ops.`, `keras.losses.`, `torch.`, `F.`, `np.`) with a numeric
template. Each row is evaluated on a subset of the exported probes; the table gives the worst value error
and the worst gradient error over them. Tolerances (float32): value rel. 1e-5 or abs. 1e-6; gradient max
abs. error within 1e-4 of the framework gradient's max. A row outside them is explained in EXPLANATIONS.

The driver needs numpy; the workers need their framework. `--fixtures DIR` writes the frameworks' numbers
for a representative subset of rows as JSON + .npy, which `swift test` pins without the frameworks.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

PROBES = ["balanced/uniform", "imbalanced/random", "tiny/soft", "mixed/confidently-wrong", "empty/perfect", "full/inverted",
          "balanced/all-foreground"]
VALUE_REL, VALUE_ABS, GRAD_REL = 1e-5, 1e-6, 1e-4

# Rows outside tolerance that are not bugs: why the numbers differ, by row id.
ROUND = ("TensorFlow registers no gradient for Round/Floor/Ceil (`None`); LossDoctor gives zeros, as PyTorch does: "
         "both mean no learning signal, and the rules (LD104 piecewise-constant, LD103 zero-gradient) treat them alike")
KERAS3 = ("the fixture imports Keras 3's `keras.backend`, which has no such function: it raises in real Keras 3 "
          "(see framework-facts.md); its numbers are compared in the `(via tensorflow.keras)` row")
TIES = ("ties: at x == y exactly (hard probes) TensorFlow sends the whole gradient of `maximum`/`minimum` to x and "
        "`relu` has gradient 0 at 0; LossDoctor's engine splits a tie 0.5/0.5 as PyTorch's `maximum` does")
EXPLANATIONS = {
    "K.round": ROUND, "tf.round": ROUND, "ops.round": ROUND, "ops.floor": ROUND, "ops.ceil": ROUND,
    "K.relu": TIES, "ops.relu": TIES, "K.maximum": TIES, "ops.maximum": TIES,
    "tf.keras.losses.mean_squared_error": "not in Keras 3.15's `keras.losses` as reached from `tensorflow.keras` "
                                          "(`mse`, `MeanSquaredError` are); the interpreter accepts it: a model gap, not a number",
    "fixture tf_log_removed.py:bce_loss": "`tf.log` was removed in TensorFlow 2: the framework raises, and LossDoctor reports it "
                                          "(LD601) and goes on with `tf.math.log` to check the rest",
    "fixture tf_weighted_bce_targets.py:weighted_bce_loss": "`targets=` was renamed `labels=` in TensorFlow 2: the framework raises, "
                                                           "LossDoctor reports it (LD601) and goes on with `labels=`",
}
for fixture in ("keras_backend_round.py:hard_dice_loss", "keras_backend_soft_dice.py:dice_loss", "keras_dice_coefficient_returned.py:dice_loss",
                "keras_missing_smooth.py:dice_loss", "keras_unused_smooth.py:dice_loss", "seed_keras_dice.py:dice_coef_loss",
                "keras_backend_bce_dice.py:bce_dice_loss", "keras3_dice_eps_denominator.py:dice_loss"):
    EXPLANATIONS["fixture " + fixture] = KERAS3
EXPLANATIONS["fixture keras_backend_round.py:hard_dice_loss (via tensorflow.keras)"] = ROUND
EXPLANATIONS["fixture seed_keras_dice.py:dice_coef_loss (via tensorflow.keras)"] = (
    "the seed's `float(y_true)` raises in TensorFlow, as LossDoctor reports (LD603 at its line); LossDoctor then goes on "
    "as if it were a cast, to find the floor division behind it")
EXPLANATIONS["F.binary_cross_entropy"] = (
    "at a prediction of exactly 0 or 1 (the hard probes, here through logits of +-20 whose float32 sigmoid is 1) PyTorch's "
    "backward divides by max(p (1 - p), 1e-12), a gradient of 1e12; LossDoctor clamps the log at -100 and its gradient "
    "there is 0 (p = 0, y = 1) or 1 (p = 0, y = 0): both finite, the rules read the soft probes, where they agree")
EXPLANATIONS["fixture torch_sum_reduction.py:bce_sum_loss"] = (
    "PyTorch computes BCE with logits as (1 - y) z - logsigmoid(z), which rounds to exactly 0 at z = -20, y = 0; LossDoctor "
    "computes softplus(z) - y z = 2.06e-9 there (the exact value) so that its gradient is PyTorch's sigmoid(z) - y; with "
    "reduction='sum' over 16384 pixels that is 3.4e-5 against 0 on a perfect prediction, 2e-9 per pixel")

# ---------------------------------------------------------------------------------------------- API rows
# One template per modelled API: an expression of the prediction and target that exercises it, reduced by
# the loss itself when it is not a scalar (LossDoctor and the harness both average a non-scalar result).
UNARY = ["abs", "exp", "log", "sqrt", "square", "sigmoid", "tanh", "softplus", "relu", "round", "sign"]
K_API = {**{n: f"K.{n}(y_pred)" for n in UNARY},
         "clip": "K.clip(y_pred, 0.1, 0.9)", "pow": "K.pow(y_pred, 3)", "sum": "K.sum(y_true * y_pred)",
         "sum-axis": "K.sum(y_true * y_pred, axis=[1, 2, 3])", "mean": "K.mean(K.square(y_true - y_pred))",
         "mean-axis": "K.mean(y_pred, axis=-1)", "max": "K.max(y_pred, axis=[1, 2])", "min": "K.min(y_pred + y_true, axis=[1, 2])",
         "maximum": "K.maximum(y_pred, y_true * 0.5)", "minimum": "K.minimum(y_pred, 0.3 + y_true)",
         "flatten": "K.sum(K.flatten(y_true) * K.flatten(y_pred))", "batch_flatten": "K.sum(K.batch_flatten(y_pred) ** 2, axis=1)",
         "binary_crossentropy": "K.binary_crossentropy(y_true, y_pred)",
         "categorical_crossentropy": "K.categorical_crossentropy(K.concatenate([1 - y_true, y_true]), K.concatenate([1 - y_pred, y_pred]))",
         "softmax": "K.softmax(K.concatenate([y_pred * 3, y_true]))[..., :1] * y_true", "cast": "K.cast(K.greater(y_pred, 0.5), 'float32') * y_pred",
         "switch": "K.switch(K.greater(y_true, 0.5), y_pred, 1 - y_pred)", "stop_gradient": "K.stop_gradient(y_pred) * y_true + y_pred",
         "dot": "K.dot(K.batch_flatten(y_pred), K.transpose(K.batch_flatten(y_true)))", "epsilon": "y_pred + K.epsilon()",
         "ones_like": "K.ones_like(y_pred) - y_pred", "zeros_like": "K.zeros_like(y_pred) + y_pred * y_true",
         "expand_dims": "K.expand_dims(y_pred, axis=1)", "squeeze": "K.squeeze(y_pred, axis=-1)",
         "permute_dimensions": "K.permute_dimensions(y_pred, (0, 3, 1, 2)) * 2", "reshape": "K.reshape(y_pred, (-1,))",
         "stack": "K.stack([y_pred, y_true])", "one_hot": "K.one_hot(K.cast(y_true[..., 0], 'int32'), 2)[..., 1:] * y_pred",
         "greater": "K.cast(K.greater(y_pred, y_true), 'float32')", "equal": "K.cast(K.equal(y_true, 1.0), 'float32') * y_pred"}
TF_API = {**{n: f"tf.math.{n}(y_pred)" for n in ["abs", "exp", "log", "sqrt", "square", "sigmoid", "tanh", "softplus", "round", "sign", "log1p"]},
          "reduce_sum": "tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])", "reduce_mean": "tf.reduce_mean(tf.square(y_true - y_pred))",
          "reduce_max": "tf.reduce_max(y_pred, axis=[1, 2])", "clip_by_value": "tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)",
          "nn.sigmoid_cross_entropy_with_logits": "tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=(y_pred - 0.5) * 40)",
          "nn.softmax": "tf.nn.softmax(tf.concat([y_pred * 3, y_true], axis=-1))[..., :1] * y_true",
          "keras.losses.binary_crossentropy": "tf.keras.losses.binary_crossentropy(y_true, y_pred)",
          "keras.losses.BinaryCrossentropy": "tf.keras.losses.BinaryCrossentropy()(y_true, y_pred)",
          "keras.losses.Dice": "tf.keras.losses.Dice()(y_true, y_pred)",
          "keras.losses.Tversky": "tf.keras.losses.Tversky(alpha=0.3, beta=0.7)(y_true, y_pred)",
          "keras.losses.binary_focal_crossentropy": "tf.keras.losses.binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=True)",
          "keras.losses.mean_squared_error": "tf.keras.losses.mean_squared_error(y_true, y_pred)",
          "math.divide_no_nan": "tf.math.divide_no_nan(tf.reduce_sum(y_true * y_pred), tf.reduce_sum(y_true))",
          "where": "tf.where(y_true > 0.5, y_pred, 1 - y_pred)", "pow": "tf.pow(y_pred, 2.5)"}
OPS_API = {**{n: f"ops.{n}(y_pred)" for n in UNARY + ["log1p", "log_sigmoid", "floor", "ceil", "negative", "reciprocal"]},
           "binary_crossentropy": "ops.binary_crossentropy(y_true, y_pred)",
           "binary_crossentropy-logits": "ops.binary_crossentropy(y_true, (y_pred - 0.5) * 40, from_logits=True)",
           "categorical_crossentropy": "ops.categorical_crossentropy(ops.concatenate([1 - y_true, y_true], axis=-1), ops.concatenate([1 - y_pred, y_pred], axis=-1))",
           "sum": "ops.sum(y_true * y_pred, axis=[1, 2, 3])", "mean": "ops.mean(y_pred, axis=[1, 2])", "max": "ops.max(y_pred, axis=[1, 2])",
           "logsumexp": "ops.logsumexp(y_pred * 10, axis=[1, 2])", "log_softmax": "ops.log_softmax(ops.concatenate([y_pred, 1 - y_pred], axis=-1))",
           "clip": "ops.clip(y_pred, 1e-7, 1 - 1e-7)", "power": "ops.power(y_pred, 0.75)", "divide": "ops.divide(y_pred, y_true + 1)",
           "floor_divide": "ops.floor_divide(y_pred * 3, 1.0)", "mod": "ops.mod(y_pred * 3, 1.0)", "where": "ops.where(y_true > 0.5, y_pred, 0.0)",
           "maximum": "ops.maximum(y_pred, 0.5)", "softmax": "ops.softmax(ops.concatenate([y_pred * 3, y_true], axis=-1))[..., :1] * y_true"}
KERAS_LOSSES = {"Dice": "keras.losses.Dice()(y_true, y_pred)", "Tversky": "keras.losses.Tversky()(y_true, y_pred)",
                "BinaryCrossentropy": "keras.losses.BinaryCrossentropy()(y_true, y_pred)",
                "BinaryFocalCrossentropy": "keras.losses.BinaryFocalCrossentropy()(y_true, y_pred)",
                "MeanSquaredError": "keras.losses.MeanSquaredError()(y_true, y_pred)", "MeanAbsoluteError": "keras.losses.MeanAbsoluteError()(y_true, y_pred)",
                "binary_crossentropy-logits": "keras.losses.binary_crossentropy(y_true, (y_pred - 0.5) * 40, from_logits=True)"}
TORCH_API = {**{n: f"torch.{n}(pred)" for n in ["abs", "exp", "log", "sqrt", "square", "sigmoid", "tanh", "round", "sign", "log1p", "floor"]},
             "sum": "torch.sum(pred * target, dim=(1, 2, 3))", "mean": "torch.mean((pred - target) ** 2)", "amax": "torch.amax(pred, dim=(2, 3))",
             "clamp": "torch.clamp(pred, 1e-7, 1 - 1e-7)", "where": "torch.where(target > 0.5, pred, 1 - pred)",
             "floor_divide": "torch.floor_divide(pred * 3, 1.0)", "pow": "torch.pow(pred, 1.5)", "logsumexp": "torch.logsumexp(pred * 10, dim=1)",
             "clamp_min": "(pred * target).sum() / (target.sum() + pred.sum()).clamp_min(1e-7)",
             "detach": "pred.detach() * target + pred", "float": "(pred > 0.5).float() * pred"}
F_API = {"binary_cross_entropy": "F.binary_cross_entropy(pred, target)",
         "binary_cross_entropy_with_logits": "F.binary_cross_entropy_with_logits(pred, target)",
         "binary_cross_entropy_with_logits-pos_weight": "F.binary_cross_entropy_with_logits(pred, target, pos_weight=torch.tensor(3.0))",
         "logsigmoid": "F.logsigmoid(pred)", "softplus": "F.softplus(pred)", "sigmoid": "F.sigmoid(pred)", "relu": "F.relu(pred - 0.5)",
         "mse_loss": "F.mse_loss(torch.sigmoid(pred), target)", "l1_loss": "F.l1_loss(torch.sigmoid(pred), target)",
         "softmax": "F.softmax(torch.cat([pred, target], dim=1), dim=1)[:, :1] * target", "log_softmax": "F.log_softmax(torch.cat([pred, -pred], dim=1), dim=1)",
         "cross_entropy": "F.cross_entropy(torch.cat([-pred, pred], dim=1), target[:, 0].long())",
         "nll_loss": "F.nll_loss(F.log_softmax(torch.cat([-pred, pred], dim=1), dim=1), target[:, 0].long())"}
NP_API = {**{n: f"np.{n}(y_pred)" for n in ["abs", "exp", "log", "sqrt", "square", "tanh", "round", "sign", "log1p", "floor", "ceil", "reciprocal", "negative"]},
          "sum": "np.sum(y_true * y_pred, axis=(1, 2, 3))", "mean": "np.mean((y_true - y_pred) ** 2)", "clip": "np.clip(y_pred, 1e-7, 1 - 1e-7)",
          "where": "np.where(y_true > 0.5, y_pred, 1 - y_pred)", "floor_divide": "np.floor_divide(y_pred * 3, 1.0)", "power": "np.power(y_pred, 0.75)",
          "amax": "np.amax(y_pred, axis=(1, 2))", "maximum": "np.maximum(y_pred, 0.5)", "mod": "np.mod(y_pred * 3, 1.0)",
          "dot": "np.dot(y_pred.reshape(-1), y_true.reshape(-1))", "matmul": "np.matmul(y_pred.reshape(4, -1), y_true.reshape(4, -1).T)"}

HEADERS = {
    "K": ("keras", "from tensorflow.keras import backend as K", "y_true, y_pred", "probs"),
    "tf": ("keras", "import tensorflow as tf", "y_true, y_pred", "probs"),
    "ops": ("keras", "from keras import ops", "y_true, y_pred", "probs"),
    "keras.losses": ("keras", "import keras", "y_true, y_pred", "probs"),
    "torch": ("torch", "import torch", "pred, target", "probs"),
    "F": ("torch", "import torch\nimport torch.nn.functional as F", "pred, target", "logits"),
    "np": ("numpy", "import numpy as np", "y_true, y_pred", "probs"),
}
API_TABLES = {"K": K_API, "tf": TF_API, "ops": OPS_API, "keras.losses": KERAS_LOSSES, "torch": TORCH_API, "F": F_API, "np": NP_API}


def api_rows(work):
    rows = []
    for module, table in API_TABLES.items():
        framework, imports, params, domain = HEADERS[module]
        layout = "NCHW" if framework == "torch" else "NHWC"
        for name, expr in table.items():
            path = os.path.join(work, "api", f"{module}.{name}.py".replace("/", "_"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(f"{imports}\n\n\ndef loss({params}):\n    return {expr}\n")
            rows.append({"id": f"{module}.{name}", "kind": "api", "framework": framework, "file": path, "function": "loss",
                         "target_first": params.startswith("y_true"), "domain": domain, "layout": layout, "expression": expr})
    return rows


def builtin_rows(ld, work):
    rows = []
    names = json.loads(run([ld, "check", "--all", "--no-simulate", "--format", "json"], ok=(0, 1)))["losses"]
    for entry in names:
        name = entry["name"]
        for framework in ("keras", "torch"):
            source = subprocess.run([ld, "show", name, "--framework", framework], capture_output=True, text=True)
            if source.returncode != 0:
                continue
            path = os.path.join(work, "show", f"{name}.{framework}.py")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(source.stdout)
            function = name.replace("-", "_") + "_loss"
            domain = "logits" if entry["domain"] == "logits" else "probs"
            rows.append({"id": f"show {name} --framework {framework}", "kind": "show", "framework": framework, "file": path,
                         "function": function, "builtin": name, "target_first": framework == "keras", "domain": domain,
                         "layout": "NCHW" if framework == "torch" else "NHWC"})
    return rows


def fixture_rows(ld, root):
    rows = []
    directory = os.path.join(root, "Tests", "Fixtures", "losses")
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if not name.endswith(".py"):
            continue
        framework = "torch" if name.startswith("torch") else "numpy" if name.startswith("numpy") else \
            "keras" if name.startswith(("keras", "tf_", "seed_keras")) else None
        if framework is None:
            continue
        text = open(path).read()
        legacy = None
        if framework == "keras" and ("from keras import backend" in text or "import keras.backend" in text):
            # Keras 3's keras.backend has no sum/flatten/...: the fixture fails in real Keras 3 (its own row says so).
            # Its numbers are still compared through TensorFlow's legacy backend, which the interpreter models.
            legacy = os.path.join(tempfile.gettempdir(), "loss-doctor-fidelity-legacy", name)
            os.makedirs(os.path.dirname(legacy), exist_ok=True)
            with open(legacy, "w") as f:
                f.write(text.replace("from keras import backend", "from tensorflow.keras import backend")
                        .replace("import keras.backend", "import tensorflow.keras.backend"))
        report = json.loads(run([ld, "check", path, "--no-simulate", "--format", "json"], ok=(0, 1, 2)))
        for loss in report["losses"]:
            if not loss["probes"]:
                continue
            row = {"id": f"fixture {name}:{loss['name']}", "kind": "fixture", "framework": framework, "file": path,
                   "function": loss["name"], "domain": "logits" if loss["domain"] == "logits" else "probs", "layout": loss["layout"]}
            rows.append(row)
            if legacy:
                rows.append({**row, "id": row["id"] + " (via tensorflow.keras)", "file": legacy})
    return rows


def run(command, ok=(0,)):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode not in ok:
        raise RuntimeError(f"{' '.join(command)}: exit {result.returncode}: {result.stderr}")
    return result.stdout


# ---------------------------------------------------------------------------------------------- worker
def worker(plan_path, out_path):
    """Runs in the framework's own interpreter: evaluates every row of the plan on its probes."""
    import importlib.util
    import inspect
    import traceback
    import numpy as np
    plan = json.load(open(plan_path))
    framework = plan["framework"]
    versions = {"numpy": np.__version__, "python": sys.version.split()[0]}
    if framework == "torch":
        import torch
        torch.set_num_threads(1)
        versions["torch"] = torch.__version__
    elif framework == "keras":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
        import keras
        versions["tensorflow"], versions["keras"] = tf.__version__, keras.__version__
    results = []
    for index, row in enumerate(plan["rows"]):
        entry = {"id": row["id"], "probes": {}}
        try:
            spec = importlib.util.spec_from_file_location(f"fidelity_row_{index}", row["file"])
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            name = row["function"]
            # `make_dice()` or `DiceLoss(smooth=1.0)`: LossDoctor's --function syntax, evaluated in the module.
            target = eval(name, vars(module)) if "(" in name else getattr(module, name)
            fn = target() if inspect.isclass(target) else target
            call = getattr(fn, "forward", None) or getattr(fn, "call", None) if not inspect.isfunction(fn) else None
            params = list(inspect.signature(call or fn).parameters)
            params = [p for p in params if p != "self"]
            target_first = params[0] in ("y_true", "target", "targets", "gt", "y", "true", "label", "labels", "mask")
        except Exception as error:  # noqa: BLE001 - a row that does not load is reported, not fatal
            entry["error"] = f"{type(error).__name__}: {error}"
            results.append(entry)
            continue
        for probe in row["probes"]:
            t = np.load(probe["target"])
            p = np.load(probe["prediction"])
            record = {}
            try:
                if framework == "torch":
                    tt, pp = torch.from_numpy(t), torch.from_numpy(p).requires_grad_(True)
                    out = fn(tt, pp) if target_first else fn(pp, tt)
                    out = out if torch.is_tensor(out) else torch.tensor(float(out))
                    out = out.float().mean() if out.numel() > 1 else out.reshape(())
                    record["value"] = float(out.detach())
                    if not out.requires_grad:
                        record["gradient"] = "missing"
                    else:
                        try:
                            (g,) = torch.autograd.grad(out, pp, allow_unused=True)
                            record["gradient"] = "missing" if g is None else save(np, g.numpy(), probe["grad"])
                        except RuntimeError as error:
                            record["gradient"] = "missing"
                            record["gradient_error"] = str(error).split("\n")[0]
                elif framework == "keras":
                    tt, pp = tf.constant(t), tf.constant(p)
                    with tf.GradientTape() as tape:
                        tape.watch(pp)
                        out = fn(tt, pp) if target_first else fn(pp, tt)
                        out = tf.reduce_mean(tf.cast(out, tf.float32))
                    record["value"] = float(out.numpy())
                    g = tape.gradient(out, pp)
                    record["gradient"] = "missing" if g is None else save(np, g.numpy(), probe["grad"])
                else:
                    out = fn(t, p) if target_first else fn(p, t)
                    record["value"] = float(np.mean(np.asarray(out, dtype=np.float64)).astype(np.float32)) if np.size(out) > 1 else float(np.float32(out))
                    record["gradient"] = "n/a"
            except Exception as error:  # noqa: BLE001
                tb = traceback.extract_tb(error.__traceback__)
                user = [frame for frame in tb if frame.filename == row["file"]]
                where = f" at line {user[-1].lineno}" if user else ""
                record["error"] = f"{type(error).__name__}{where}: {str(error).splitlines()[0] if str(error) else ''}"[:300]
            entry["probes"][probe["id"]] = record
        results.append(entry)
    json.dump({"framework": framework, "versions": versions, "results": results}, open(out_path, "w"), indent=1)


def save(np, array, path):
    np.save(path, np.ascontiguousarray(array, dtype=np.float32))
    return path


# ---------------------------------------------------------------------------------------------- driver
def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", nargs=2, metavar=("PLAN", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--loss-doctor", default=".build/debug/loss-doctor")
    parser.add_argument("--torch-python")
    parser.add_argument("--tf-python")
    parser.add_argument("--out", default="docs/fidelity.md")
    parser.add_argument("--fixtures", help="write the frameworks' numbers of a representative subset here")
    parser.add_argument("--json", help="also write every comparison as JSON here")
    parser.add_argument("--only", help="only rows whose id contains this text")
    args = parser.parse_args()
    if args.worker:
        return worker(*args.worker)
    import numpy as np

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ld = os.path.abspath(args.loss_doctor)
    work = tempfile.mkdtemp(prefix="loss-doctor-fidelity-")
    try:
        for domain in ("probs", "logits"):
            for layout in ("NHWC", "NCHW"):
                run([ld, "probes", "export", os.path.join(work, "probes", domain, layout), "--input", domain, "--layout", layout])
        rows = builtin_rows(ld, work) + fixture_rows(ld, root) + api_rows(work)
        if args.only:
            rows = [row for row in rows if any(part in row["id"] for part in args.only.split(","))]
        index = json.load(open(os.path.join(work, "probes", "probs", "NHWC", "index.json")))
        probes = {p["id"]: p for p in index["target_sets"][0]["probes"]}
        for number, row in enumerate(rows):
            base = os.path.join(work, "probes", row["domain"], row["layout"])
            row["probes"] = [{"id": pid, "target": os.path.join(base, probes[pid]["target_file"]),
                              "prediction": os.path.join(base, probes[pid]["prediction_file"]["file"]),
                              "grad": os.path.join(work, "grads", f"fw-{number}-{pid.replace('/', '_')}.npy")} for pid in PROBES]
        os.makedirs(os.path.join(work, "grads"))

        framework_results, versions = {}, {}
        pythons = {"torch": args.torch_python, "keras": args.tf_python, "numpy": args.torch_python or args.tf_python or sys.executable}
        for framework, python in pythons.items():
            selected = [row for row in rows if row["framework"] == framework]
            if not python or not selected:
                continue
            plan = os.path.join(work, f"plan-{framework}.json")
            json.dump({"framework": framework, "rows": selected}, open(plan, "w"))
            out = os.path.join(work, f"results-{framework}.json")
            subprocess.run([python, os.path.abspath(__file__), "--worker", plan, out], check=True,
                           env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""})
            data = json.load(open(out))
            versions[framework] = data["versions"]
            framework_results.update({r["id"]: r for r in data["results"]})

        comparisons = []
        for number, row in enumerate(rows):
            if row["id"] not in framework_results:
                continue
            comparisons.append(compare(np, ld, row, framework_results[row["id"]], work, number))
        write_table(args.out, comparisons, versions, ld)
        if args.json:
            json.dump(comparisons, open(args.json, "w"), indent=1)
        if args.fixtures:
            write_fixtures(np, args.fixtures, rows, framework_results)
        worst = sorted(comparisons, key=lambda c: -max(c["value_error"], c["gradient_error"]))[:8]
        for c in worst:
            print(f"{c['status']:10} {c['id']:70} value {c['value_error']:.3g} gradient {c['gradient_error']:.3g} {c['note']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def loss_doctor_eval(ld, row, probe, grad, builtin=None):
    command = [ld, "eval"] + (["--loss", builtin] if builtin else [row["file"], "--function", row["function"],
                                                                       "--input", row["domain"], "--layout", row["layout"]])
    command += ["--target", probe["target"], "--pred", probe["prediction"], "--grad", grad, "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[0] if result.stderr.strip() else f"exit {result.returncode}"}
    data = json.loads(result.stdout)
    value = data["value"]
    return {"value": float(value) if not isinstance(value, str) else float(value.replace("inf", "Infinity")),
            "gradient": data["gradient"]["state"], "grad_file": data["gradient"]["file"]}


def compare(np, ld, row, framework, work, number):
    """The worst value and gradient errors of one row over its probes, and a status."""
    engines = [("interpreter", None)] + ([("built-in", row["builtin"])] if row.get("builtin") else [])
    value_error, gradient_error, notes = 0.0, 0.0, []
    status = "ok"
    if "error" in framework:
        return {"id": row["id"], "kind": row["kind"], "framework": row["framework"], "value_error": 0.0, "gradient_error": 0.0,
                "status": "no-framework", "note": f"the framework raised: {framework['error']}"}
    for engine, builtin in engines:
        for probe in row["probes"]:
            fw = framework["probes"].get(probe["id"], {})
            grad = os.path.join(work, "grads", f"ld-{number}-{engine}-{probe['id'].replace('/', '_')}.npy")
            ours = loss_doctor_eval(ld, row, probe, grad, builtin)
            if "error" in fw or "error" in ours:
                if "error" in fw and "error" in ours:
                    notes.append(f"{probe['id']}: both raise")
                    continue
                status = "mismatch"
                notes.append(f"{probe['id']} ({engine}): " + (f"framework raised {fw['error']}" if "error" in fw else f"loss-doctor raised {ours['error']}"))
                continue
            a, b = np.float32(ours["value"]), np.float32(fw["value"])
            if np.isfinite(a) and np.isfinite(b):
                err = abs(float(a) - float(b))
                rel = err / max(abs(float(b)), 1e-30)
                e = 0.0 if err <= VALUE_ABS else rel
                if e > value_error:
                    value_error = e
                    worst_value = f"{probe['id']} ({engine}): {float(a):.9g} vs {float(b):.9g}"
            elif not (np.isnan(a) and np.isnan(b)) and a != b:
                value_error = float("inf")
                worst_value = f"{probe['id']} ({engine}): {float(a)} vs {float(b)}"
            fg = fw.get("gradient")
            if fg == "n/a":
                continue
            og = ours["gradient"]
            if fg == "missing" or og == "missing":
                if (fg == "missing") != (og == "missing"):
                    status = "mismatch"
                    notes.append(f"{probe['id']} ({engine}): gradient {og} here, " + ("missing" if fg == "missing" else "present") + " in the framework"
                                 + (f" ({fw['gradient_error']})" if fw.get("gradient_error") else ""))
                continue
            g_fw, g_ld = np.load(fg).astype(np.float64), np.load(ours["grad_file"]).astype(np.float64)
            if g_fw.shape != g_ld.shape:
                status = "mismatch"
                notes.append(f"{probe['id']}: gradient shapes {g_ld.shape} vs {g_fw.shape}")
                continue
            finite = np.isfinite(g_fw) & np.isfinite(g_ld)
            if not np.array_equal(np.isfinite(g_fw), np.isfinite(g_ld)):
                gradient_error = float("inf")
                notes.append(f"{probe['id']} ({engine}): non-finite gradient in {'the framework' if not np.isfinite(g_fw).all() else 'loss-doctor'} only")
                continue
            scale = np.max(np.abs(g_fw[finite])) if finite.any() else 0.0
            diff = np.max(np.abs(g_fw[finite] - g_ld[finite])) if finite.any() else 0.0
            e = 0.0 if diff == 0 else diff / scale if scale > 0 else float("inf")
            if e > gradient_error:
                gradient_error = e
                worst_gradient = f"{probe['id']} ({engine})"
    if value_error > VALUE_REL:
        status = "mismatch"
        notes.insert(0, f"worst value {worst_value}")
    if gradient_error > GRAD_REL:
        status = "mismatch"
        notes.insert(0, f"worst gradient at {worst_gradient}")
    explanation = EXPLANATIONS.get(row["id"])
    if status == "mismatch" and explanation:
        status = "explained"
        notes.insert(0, explanation)
    return {"id": row["id"], "kind": row["kind"], "framework": row["framework"], "value_error": value_error,
            "gradient_error": gradient_error, "status": status, "note": "; ".join(notes[:3]), "expression": row.get("expression")}


def write_table(path, comparisons, versions, ld):
    version = run([ld, "--version"]).strip()
    lines = ["# Fidelity: LossDoctor's numbers against the real frameworks", "",
             f"Generated by `Scripts/fidelity.py` on {datetime.date.today().isoformat()} with {version}.", ""]
    for framework, v in sorted(versions.items()):
        lines.append(f"- {framework} worker: " + ", ".join(f"{k} {val}" for k, val in sorted(v.items())))
    lines += ["",
              f"Each row is evaluated on the probes {', '.join('`' + p + '`' for p in PROBES)} (exported with `loss-doctor probes "
              "export`, in the row's domain and layout), in the framework and with `loss-doctor eval` (the interpreter on the same "
              "source; for `show` rows also the Swift built-in). Errors are the worst over the probes: value error is relative "
              f"(0 when within {VALUE_ABS:g} absolute), gradient error is the max absolute difference over the framework gradient's "
              f"max. Tolerance: value {VALUE_REL:g}, gradient {GRAD_REL:g}. Status: `ok` within tolerance, `explained` outside it "
              "for the reason given, `mismatch` outside it (a bug to fix), `no-framework` the framework itself cannot run the row.", ""]
    counts = {}
    for c in comparisons:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
    lines.append("Summary: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + f", {len(comparisons)} rows.")
    lines.append("")
    for kind, title in (("show", "Built-ins and their `show` sources"), ("fixture", "Loss fixtures that name their framework"),
                        ("api", "Modelled framework APIs")):
        lines += [f"## {title}", "", "| row | framework | value error | gradient error | status | note |", "|---|---|---|---|---|---|"]
        for c in comparisons:
            if c["kind"] != kind:
                continue
            label = f"`{c['id']}`" + (f": `{c['expression']}`" if c.get("expression") else "")
            lines.append(f"| {label} | {c['framework']} | {fmt(c['value_error'])} | {fmt(c['gradient_error'])} | {c['status']} | "
                         f"{c['note'].replace('|', '/')} |")
        lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


def fmt(x):
    return "0" if x == 0 else "inf" if x == float("inf") else f"{x:.2g}"


# Rows whose framework numbers `swift test` pins (FidelityFixtureTests), one per family of numerics.
PINNED = ["show bce-logits --framework torch", "show soft-dice --framework keras", "show focal --framework keras",
          "K.binary_crossentropy", "K.sum-axis", "F.binary_cross_entropy_with_logits", "F.binary_cross_entropy",
          "ops.binary_crossentropy-logits", "tf.keras.losses.Dice", "torch.sum", "K.categorical_crossentropy"]
PINNED_PROBES = ["imbalanced/random", "full/inverted", "empty/perfect"]


def write_fixtures(np, directory, rows, framework_results):
    os.makedirs(directory, exist_ok=True)
    cases = []
    for row in rows:
        if row["id"] not in PINNED or row["id"] not in framework_results:
            continue
        result = framework_results[row["id"]]
        slug = row["id"].replace(" ", "_").replace("/", "_").replace("--framework_", "")
        with open(row["file"]) as f:
            source = f.read()
        source_name = f"{slug}.py"
        with open(os.path.join(directory, source_name), "w") as f:
            f.write(source)
        for probe in row["probes"]:
            if probe["id"] not in PINNED_PROBES:
                continue
            fw = result["probes"].get(probe["id"], {})
            if "value" not in fw:
                continue
            case = {"row": row["id"], "source": source_name, "function": row["function"], "builtin": row.get("builtin"),
                    "input": row["domain"], "layout": row["layout"], "probe": probe["id"], "value": fw["value"], "gradient": None}
            if fw.get("gradient") not in (None, "missing", "n/a"):
                # The gradient's summary, not the array: its norm, its max and a few of its elements.
                g = np.load(fw["gradient"]).astype(np.float64).reshape(-1)
                picks = [0, len(g) // 3, len(g) // 2, len(g) - 1] + [int(np.argmax(np.abs(g)))]
                case["gradient"] = {"norm": float(np.sqrt(np.sum(g * g))), "max_abs": float(np.max(np.abs(g))),
                                    "elements": {str(i): float(g[i]) for i in sorted(set(picks))}}
            else:
                case["gradient"] = fw.get("gradient")
            cases.append(case)
    meta = {"generated": datetime.date.today().isoformat(), "by": "Scripts/fidelity.py --fixtures", "cases": cases}
    with open(os.path.join(directory, "cases.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
