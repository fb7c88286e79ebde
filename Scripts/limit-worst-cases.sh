#!/usr/bin/env bash
# The worst inputs known for each of LossDoctor's limits, generated into a scratch git repository and checked
# with the release binary under the default limits: wall time, peak resident memory (GNU time's %M) and exit
# status per input, as a Markdown table. Rerun after changing a limit or a builtin that a limit guards.
#
#   Scripts/limit-worst-cases.sh            build (release) and measure
#   LOSS_DOCTOR=path Scripts/limit-worst-cases.sh   measure another binary
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${LOSS_DOCTOR:-}" ]; then
    swift build -c release --product loss-doctor >/dev/null
    LOSS_DOCTOR=$PWD/.build/release/loss-doctor
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" && git init -q .

# name | limit | file (written by python3 below) | extra flags
python3 - <<'EOF'
import os
def write(name, text):
    with open(name, "w") as f:
        f.write(text)
head = "import torch\n\n"
ok = "\n\ndef mse_loss(pred, target):\n    return ((pred - target) ** 2).mean()\n"
write("steps_endless_loop.py", head + "def endless_loss(pred, target):\n    while True:\n        pass\n" + ok)
write("steps_slow_sort.py", head + "def sort_loss(pred, target):\n    items = list(range(1000000))\n    for i in range(50):\n        items = sorted(items, reverse=(i % 2 == 0))\n    return ((pred - target) ** 2).mean()\n" + ok)
write("steps_substring_search.py", head + "def search_loss(pred, target):\n    s = 'a' * 4000000\n    n = 0\n    for i in range(100):\n        n += len(s.partition('a' * 2000000 + 'b')[0])\n    return ((pred - target) ** 2).mean() + n\n" + ok)
write("depth_recursion.py", head + "def deep(n):\n    return deep(n + 1)\n\ndef recursive_loss(pred, target):\n    return deep(0)\n" + ok)
write("elements_kept_graph.py", head + "def kept_loss(pred, target):\n    kept = []\n    for i in range(100000):\n        kept.append(pred * float(i))\n    return kept[0].mean()\n" + ok)
write("elements_kept_constants.py", head + "def constants_loss(pred, target):\n    kept = []\n    for i in range(100000):\n        kept.append(torch.ones((64, 64)))\n    return ((pred - target) ** 2).mean()\n" + ok)
write("elements_doubling_string.py", head + "def string_loss(pred, target):\n    s = 'x'\n    for i in range(64):\n        s = s + s\n    return ((pred - target) ** 2).mean()\n" + ok)
write("elements_module_level.py", head + "\n".join(f"t{i} = torch.ones((1024, 1024))" for i in range(60)) + ok)
write("elements_legit_loop.py", head + "def loop_loss(pred, target):\n    total = 0.0\n    for i in range(1000):\n        total = total + ((pred - target) ** 2).mean() * 0.001\n    return total\n")
write("nesting_parentheses.py", head + "def nested_loss(pred, target):\n    return " + "(" * 10000 + "pred" + ")" * 10000 + "\n" + ok)
write("nesting_tuple_literal.py", head + "BIG = (" + "1, " * 450000 + ")\n" + ok)
write("file_size_definitions.py", "".join(f"def helper_{i}(x):\n    return x\n\n" for i in range(40000)) + ok)
write("losses_per_file.py", head + "".join(f"def loss_{i}(pred, target):\n    return ((pred - target) ** 2).mean()\n\n" for i in range(2000)))
write("findings_many.py", head + "".join(f"def f{i}(pred, target):\n    return (pred // 2).mean()\n\n" for i in range(300)))
write("suppressions_many.py", head + "def sup_loss(pred, target):\n    x = pred\n" + "".join(f"    x = x  # noqa: LD{100 + i % 800}\n" for i in range(20000)) + "    return ((x - target) ** 2).mean()\n")
os.makedirs("config_nested", exist_ok=True)
write("config_nested/pyproject.toml", "[tool.loss-doctor]\nx = " + "[" * 100000 + "]" * 100000 + "\n")
write("config_nested/l.py", head + ok)
os.makedirs("config_huge", exist_ok=True)
write("config_huge/pyproject.toml", "[tool.loss-doctor]\n" + "".join(f"# {i:08d} padding padding padding padding\n" for i in range(200000)))
write("config_huge/l.py", head + ok)
os.makedirs("modules_many", exist_ok=True)
for i in range(60):
    write(f"modules_many/m{i}.py", "import torch\nT = torch.ones((1024, 1024))\n")
write("modules_many/main.py", head + "".join(f"import m{i}\n" for i in range(60)) + ok)
EOF
git add -A >/dev/null

measure() {  # limit, path, flags...
    local limit=$1 path=$2 seconds kb status; shift 2
    # time's own line goes to a file: the checked program's stderr would mix with it.
    /usr/bin/time -o "$work/.time" -f "%e %M %x" "$LOSS_DOCTOR" check "$path" --no-simulate "$@" >"$work/.out" 2>&1 || true
    read -r seconds kb status < <(tail -1 "$work/.time")
    # What ended it: the first LD903 message, or the report's summary line.
    local outcome
    outcome=$(grep -m1 "\[LD903\]" "$work/.out" | sed 's/^[^:]*: //' | cut -c1-90 || true)
    [ -n "$outcome" ] && outcome="LD903: $outcome" || outcome=$(grep -m1 -E "^(error|Error)" "$work/.out" | cut -c1-90 || true)
    [ -n "$outcome" ] || outcome=$(grep -v '^$' "$work/.out" | tail -1 | cut -c1-90)
    printf '| %s | `%s` | %s s | %s MB | %s | %s |\n' "$limit" "$path" "$seconds" "$((kb / 1024))" "$status" "${outcome//|/\\|}"
}

echo "| limit | input | time | peak memory | exit | outcome |"
echo "|---|---|---|---|---|---|"
measure "--max-steps" steps_endless_loop.py
measure "--max-steps (bulk builtins)" steps_slow_sort.py
measure "--max-steps (string search)" steps_substring_search.py
measure "--max-depth" depth_recursion.py
measure "--max-elements (kept graph: values dropped, recomputed)" elements_kept_graph.py
measure "--max-elements (kept constants)" elements_kept_constants.py
measure "--max-elements (string)" elements_doubling_string.py
measure "--max-elements (module code)" elements_module_level.py
measure "--max-elements (legitimate 1,000-iteration loop)" elements_legit_loop.py
measure "--max-nesting" nesting_parentheses.py
measure "--max-file-size" nesting_tuple_literal.py
measure "--max-steps (literal construction)" nesting_tuple_literal.py --max-file-size 4M
measure "--max-file-size / discovery" file_size_definitions.py --max-file-size 4M
measure "--max-losses" losses_per_file.py --max-file-size 4M
measure "findings cap (text)" findings_many.py --max-losses 300
measure "suppressions" suppressions_many.py
measure "configuration nesting" config_nested/l.py
measure "configuration size" config_huge/l.py
measure "one budget across modules" modules_many/main.py
