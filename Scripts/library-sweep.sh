#!/usr/bin/env bash
# Runs `loss-doctor check` on every loss that segmentation libraries ship, one loss at a time, and prints one
# line a loss (analysed, or not and why: the LD code and its message) and the totals.
#
# The libraries are pip-installed at pinned versions, without their dependencies (LossDoctor only reads their
# source; nothing is imported), into a temporary virtual environment outside the repository, removed at exit.
#
# usage: Scripts/library-sweep.sh [--reuse-site DIR] [--binary PATH] [--keep] [--segmentation-only]
#   --reuse-site DIR      read packages already installed in DIR (a site-packages directory, e.g. that of
#                         /work/venv-torch); only the ones missing there are installed
#   --binary PATH         the loss-doctor binary (default: build this package with `swift build -c release`)
#   --keep                keep the temporary environment and print its path
#   --segmentation-only   print lines only for segmentation losses (the totals always show both)
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
while [[ $# -gt 0 ]]; do
    case "$1" in
        --reuse-site) reuse_site="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        --segmentation-only) segmentation_only=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
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

python3 - "$binary" "$segmentation_only" "${roots[@]}" <<'EOF'
"""Finds the losses each package defines (its own reading, independent of LossDoctor), checks each with
`loss-doctor check FILE --function NAME --format json --no-simulate`, prints one line a loss and the totals."""
import ast, collections, json, os, re, subprocess, sys

binary, segmentation_only, roots = sys.argv[1], sys.argv[2] == "1", sys.argv[3:]
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


def verdict(path, name):
    p = subprocess.run([binary, "check", path, "--function", name, "--format", "json", "--no-simulate", "--exit-zero"],
                       capture_output=True, text=True, timeout=120)
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


totals = collections.Counter()
reasons = collections.Counter()
categories = collections.Counter()
per_package = collections.defaultdict(collections.Counter)
for root in roots:
    package = os.path.basename(root)
    for path in loss_modules(root):
        rel = os.path.relpath(path, os.path.dirname(root))
        for name in defined_losses(path):
            seg = bool(SEGMENTATION.search(name))
            ok, code, message = verdict(path, name)
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
            print(f"{rel}:{name} [{kind}] {status}"[:300])

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
EOF
