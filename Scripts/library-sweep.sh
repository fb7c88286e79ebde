#!/usr/bin/env bash
# Runs `loss-doctor check` on every loss that segmentation libraries ship, one loss at a time, and prints one
# line a loss (analysed, or not and why: the LD code and its message) and the totals.
#
# The libraries are pip-installed at pinned versions, without their dependencies (LossDoctor only reads their
# source; nothing is imported), into a temporary virtual environment outside the repository, removed at exit.
#
# usage: Scripts/library-sweep.sh [--reuse-site DIR] [--binary PATH] [--keep] [--segmentation-only] [--execute PYTHON]
#   --reuse-site DIR      read packages already installed in DIR (a site-packages directory, e.g. that of
#                         /work/venv-torch); only the ones missing there are installed
#   --binary PATH         the loss-doctor binary (default: build this package with `swift build -c release`)
#   --keep                keep the temporary environment and print its path
#   --segmentation-only   print lines only for segmentation losses (the totals always show both)
#   --execute PYTHON      also check every loss with `--execute --python PYTHON` (THIS RUNS THE LIBRARIES' CODE):
#                         PYTHON must import the libraries and their dependencies (torch, ...); a package it
#                         cannot import is left out of the execute column, and says so. Per loss: the
#                         interpreter's codes, the executed codes, and whether they agree (below); totals.
#
# Agreement: where both analyse a loss, the same set of error and warning codes, leaving out LD5xx (the
# simulation, off in both) and LD6xx (read from the source by the interpreter; execution does not read it).
# A second count also leaves out the codes of rules that read the engine's graph or its per-term gradients
# (LD104, LD202, LD203, LD305, LD306, LD307, LD311), which an executed run cannot give them.
#
# Needs python3 with the venv module and pip (network access to PyPI, or a configured index).
set -euo pipefail

PACKAGES=(
    "segmentation-models-pytorch==0.6.0:segmentation_models_pytorch"
    "monai==1.6.1:monai"
    "kornia==0.9.0:kornia"
    "pytorch-toolbelt==0.8.0:pytorch_toolbelt"
    "catalyst==22.4:catalyst"
    "keras-unet-collection==0.1.13:keras_unet_collection"
    "segmentation-models==1.0.1:segmentation_models"
)

reuse_site=""
binary=""
keep=0
segmentation_only=0
execute_python=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --reuse-site) reuse_site="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        --segmentation-only) segmentation_only=1; shift ;;
        --execute) execute_python="$2"; shift 2 ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "$binary" ]]; then
    (cd "$repo" && swift build -c release >&2)
    binary="$repo/.build/release/loss-doctor"
fi
[[ -x "$binary" ]] || { echo "no loss-doctor binary at $binary" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/loss-doctor-sweep.XXXXXX")"
case "$work" in "$repo"/*) echo "refusing to work inside the repository" >&2; exit 2 ;; esac
if [[ $keep -eq 0 ]]; then trap 'rm -rf "$work"' EXIT; else echo "environment kept in $work" >&2; fi

python3 -m venv "$work/venv"
site="$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
roots=()
versions=()
for entry in "${PACKAGES[@]}"; do
    spec="${entry%%:*}"
    module="${entry##*:}"
    if [[ -n "$reuse_site" && -d "$reuse_site/$module" ]]; then
        roots+=("$reuse_site/$module")
        version="$("$work/venv/bin/python" - "$reuse_site" "$module" <<'EOF'
import sys, glob, os
site, module = sys.argv[1], sys.argv[2]
for meta in glob.glob(os.path.join(site, "*.dist-info", "METADATA")):
    text = open(meta, errors="replace").read()
    name = next((l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("Name:")), "")
    if name.lower().replace("-", "_") == module.lower():
        print(next(l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("Version:")))
        break
else:
    print("unknown")
EOF
)"
        versions+=("${spec%%==*} $version (reused)")
    else
        "$work/venv/bin/pip" install --quiet --no-deps --disable-pip-version-check "$spec" >&2
        roots+=("$site/$module")
        versions+=("${spec/==/ }")
    fi
done

echo "loss-doctor library sweep, $(date -u +%Y-%m-%d), $("$binary" --version 2>/dev/null || echo loss-doctor)"
printf 'versions: %s\n' "$(IFS=, ; echo "${versions[*]}")"
if [[ -n "$execute_python" ]]; then
    echo "execute: $("$execute_python" -c 'import sys, torch; print("Python", sys.version.split()[0], "torch", torch.__version__)' 2>/dev/null || echo "$execute_python (no torch)")"
fi

python3 - "$binary" "$segmentation_only" "$execute_python" "${roots[@]}" <<'EOF'
"""Finds the losses each package defines (its own reading, independent of LossDoctor), checks each with
`loss-doctor check FILE --function NAME --format json --no-simulate`, prints one line a loss and the totals;
with an execute Python, checks each again with `--execute` and compares."""
import ast, collections, concurrent.futures, json, os, re, subprocess, sys

binary, segmentation_only, execute_python, roots = sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4:]
SEGMENTATION = re.compile(r"(?i)dice|jaccard|iou|tversky|trevsky|focal|lovasz|bce|binary|cross_?entropy|^ce|ce$|"
                          r"mcc|cldice|boundary|hausdorff|f1|combo|seg|soft_?ce|nll")
PAIRS = {("y_true", "y_pred"), ("input", "target"), ("pred", "target"), ("inputs", "targets"), ("logits", "labels"),
         ("y_pred", "y_true"), ("pred", "gt"), ("output", "target"), ("prediction", "target"), ("logits", "target")}


def loss_modules(root):
    for base, dirs, files in os.walk(root):
        dirs.sort()
        inside = "losses" in os.path.relpath(base, root).split(os.sep)
        for name in sorted(files):
            if not name.endswith(".py") or name == "__init__.py":
                continue
            if inside or name in ("loss.py", "losses.py"):
                yield os.path.join(base, name)


def defined_losses(path):
    try:
        tree = ast.parse(open(path, encoding="utf-8", errors="replace").read())
    except SyntaxError:
        return []
    found = []
    for node in tree.body:
        if node.name.startswith("_") if hasattr(node, "name") else True:
            continue
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(b) for b in node.bases]
            if node.name.endswith("Loss") or any(b.split(".")[-1] in ("_Loss", "Loss", "Module", "_WeightedLoss") or b.endswith("Loss") for b in bases):
                found.append(node.name)
        elif isinstance(node, ast.FunctionDef):
            params = [a.arg for a in node.args.args]
            # score, coefficient and metric helpers are not losses (they are analysed through the losses using them)
            if re.search(r"(?i)score|coef|metric", node.name):
                continue
            if "loss" in node.name.lower() or tuple(params[:2]) in PAIRS:
                found.append(node.name)
    return found


def verdict(path, name, execute=False):
    command = [binary, "check", path, "--function", name, "--format", "json", "--no-simulate", "--exit-zero"]
    if execute:
        command += ["--execute", "--python", execute_python]
    try:
        p = subprocess.run(command, capture_output=True, text=True, timeout=600 if execute else 120)
    except subprocess.TimeoutExpired:
        return False, "timeout", "the check did not finish"
    try:
        data = json.loads(p.stdout)
    except json.JSONDecodeError:
        msg = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return False, "exit %d" % p.returncode, msg
    findings = []
    def collect(o):
        if isinstance(o, dict):
            if {"code", "severity", "message"} <= o.keys():
                findings.append(o)
            for v in o.values():
                collect(v)
        elif isinstance(o, list):
            for v in o:
                collect(v)
    collect(data)
    blocking = [f for f in findings if f["code"].startswith("LD9") or f["code"] == "LD603"]
    if blocking or p.returncode == 2:
        f = blocking[0] if blocking else {"code": "exit 2", "message": (p.stderr.strip().splitlines() or [""])[-1]}
        return False, f["code"], f["message"]
    serious = sorted({f["code"] for f in findings if f["severity"] in ("error", "warning")})
    return True, " ".join(serious) or "clean", ""


CATEGORIES = [
    (r"needs constructor arguments", "class with required constructor arguments not built"),
    (r"^LD902 `(monai|kornia|catalyst|segmentation_models_pytorch|pytorch_toolbelt)\.", "call into the library's own package (imports not followed)"),
    (r"^LD902", "unmodelled framework API"),
    (r"cannot import \.\.|ModuleNotFoundError", "package-relative import not resolved"),
    (r"RecursionError", "class hierarchy / super() recursion"),
    (r"one_hot is only applicable|LongTensor|not a permutation", "class-index targets not probed"),
    (r"does not take two tensors", "function with other required arguments"),
    (r"^LD901", "unsupported syntax (try, with, item assignment, advanced indexing)"),
    (r"no function or class named", "definition not found by LossDoctor"),
    (r"^LD603", "the loss raises on LossDoctor's probes"),
]


def category(code, message):
    line = f"{code} {message}"
    return next((name for pattern, name in CATEGORIES if re.search(pattern, line)), "other")


# Codes an executed run cannot produce: the simulation (off in both) and the rules reading the source.
NOT_EXECUTED = re.compile(r"^LD[56]")
# Rules that read the engine's graph facts or per-term gradients, which an executed run does not have.
GRAPH_RULES = {"LD104", "LD202", "LD203", "LD305", "LD306", "LD307", "LD311"}


def comparable(codes, graph=True):
    if codes == "clean":
        return set()
    return {c for c in codes.split() if not NOT_EXECUTED.match(c) and (graph or c not in GRAPH_RULES)}


def importable(root):
    module = os.path.basename(root)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.dirname(root), env.get("PYTHONPATH")]))
    try:
        p = subprocess.run([execute_python, "-c", f"import {module}"], capture_output=True, text=True, timeout=300, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return p.returncode == 0


executed = collections.Counter()
disagreements = []
totals = collections.Counter()
reasons = collections.Counter()
categories = collections.Counter()
per_package = collections.defaultdict(collections.Counter)
# Every check first, a few at a time (an executed check mostly waits for Python to import the framework),
# then the lines in the packages' order.
jobs = []
for root in roots:
    runs = bool(execute_python) and importable(root)
    if execute_python and not runs:
        print(f"{os.path.basename(root)}: not importable by {execute_python}, left out of the execute column")
    for path in loss_modules(root):
        for name in defined_losses(path):
            jobs.append((root, path, name, runs))
with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("SWEEP_JOBS", "3"))) as pool:
    checked = list(pool.map(lambda job: verdict(job[1], job[2]), jobs))
    run_executed = list(pool.map(lambda job: verdict(job[1], job[2], execute=True) if job[3] else None, jobs))
for (root, path, name, runs), (ok, code, message), executed_verdict in zip(jobs, checked, run_executed):
    package = os.path.basename(root)
    rel = os.path.relpath(path, os.path.dirname(root))
    seg = bool(SEGMENTATION.search(name))
    execute_note = ""
    if runs:
        done, xcode, xmessage = executed_verdict
        executed["losses"] += 1
        executed["analysed"] += done
        if done and ok:
            executed["both"] += 1
            same = comparable(code) == comparable(xcode)
            executed["agree"] += same
            executed["agree without graph rules"] += comparable(code, False) == comparable(xcode, False)
            if not same:
                disagreements.append(f"{rel}:{name} interpreter {code}, executed {xcode}")
            execute_note = f" | executed ({xcode}) {'agrees' if same else 'DISAGREES'}"
        elif done:
            executed["executed only"] += 1
            execute_note = f" | executed ({xcode}), interpreter not analysed"
        else:
            execute_note = f" | executed: not analysed: {xcode} {xmessage}"[:200]
    kind = "segmentation" if seg else "other"
    totals[(kind, ok)] += 1
    per_package[package][(kind, ok)] += 1
    if not ok:
        categories[(kind, category(code, message))] += 1
        # keep the API a LD902 names (what the interpreter must learn); drop install paths
        reasons[(code, re.sub(r"(/[^ ]*)?/site-packages/", "", message)[:110])] += 1
    if segmentation_only and not seg:
        continue
    status = f"analysed ({code})" if ok else f"not analysed: {code} {message}"
    print(f"{rel}:{name} [{kind}] {status}"[:300] + execute_note)

def share(kind):
    done, total = totals[(kind, True)], totals[(kind, True)] + totals[(kind, False)]
    return f"{done} of {total} analysed ({100.0 * done / total:.0f} %)" if total else "none"

print()
for package, c in per_package.items():
    seg = c[("segmentation", True)], c[("segmentation", True)] + c[("segmentation", False)]
    other = c[("other", True)], c[("other", True)] + c[("other", False)]
    print(f"package {package}: segmentation losses {seg[0]}/{seg[1]}, other losses {other[0]}/{other[1]}")
print(f"TOTAL segmentation losses: {share('segmentation')}")
print(f"TOTAL other losses: {share('other')}")
print("reasons a segmentation loss is not analysed, by kind:")
for (kind, name), n in sorted(categories.items(), key=lambda kv: -kv[1]):
    if kind == "segmentation":
        print(f"  {n:4d}  {name}")
print("top reasons a loss is not analysed (all losses):")
for (code, message), n in reasons.most_common(30):
    print(f"  {n:4d}  {code} {message}")
if execute_python:
    print(f"EXECUTE analysed: {executed['analysed']}/{executed['losses']} (of the losses of the packages it imports; "
          f"{executed['executed only']} of them the interpreter does not analyse)")
    print(f"EXECUTE agreement: {executed['agree']}/{executed['both']} where both analyse "
          f"({executed['agree without graph rules']}/{executed['both']} leaving out the graph and per-term rules)")
    for line in disagreements:
        print(f"  disagrees: {line}")
EOF
