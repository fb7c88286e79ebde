#!/usr/bin/env bash
# Installs the wheel into a fresh virtual environment with no Swift on PATH and checks what a Python user
# does with it: the console script on the seed's loss, `python -m loss_doctor --version`, and the pytest
# helper (under pytest when it can be had, else the same test functions with plain Python).
#   Scripts/test-wheel.sh dist/loss_doctor-*.whl
set -euo pipefail
cd "$(dirname "$0")/.."
wheel=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$PWD
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fail() { echo "test-wheel: $*" >&2; exit 1; }

# A venv with pip when ensurepip is there; else one without, filled by this Python's pip.
if python3 -m venv "$scratch/venv" 2>/dev/null; then
    pip_install() { "$scratch/venv/bin/python" -m pip install --disable-pip-version-check -q "$@"; }
else
    rm -rf "$scratch/venv"
    python3 -m venv --without-pip "$scratch/venv"
    pip_install() { python3 -m pip --python "$scratch/venv/bin/python" install --disable-pip-version-check -q "$@"; }
fi

# PATH: the venv, then the system's directories without any that holds a Swift toolchain.
path="$scratch/venv/bin"
IFS=: read -r -a dirs <<< "$PATH"
for dir in "${dirs[@]}"; do
    [ -n "$dir" ] && [ ! -e "$dir/swift" ] && [ ! -e "$dir/swiftc" ] && path="$path:$dir"
done
export PATH=$path
unset LOSS_DOCTOR_BINARY
command -v swift >/dev/null && fail "swift is still on PATH"

# The archive itself: every file in RECORD with its hash and size, the tag of its name in WHEEL, and the
# binary executable.
python3 - "$wheel" <<'PY'
import base64, hashlib, sys, zipfile
wheel = sys.argv[1]
name, version, python, abi, platform = wheel.rsplit("/", 1)[-1][:-len(".whl")].split("-")
with zipfile.ZipFile(wheel) as archive:
    info = f"{name}-{version}.dist-info"
    record = archive.read(f"{info}/RECORD").decode().splitlines()
    listed = set()
    for line in record:
        path, digest, size = line.rsplit(",", 2)
        listed.add(path)
        if path == f"{info}/RECORD":
            continue
        data = archive.read(path)
        expected = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert digest == expected and int(size) == len(data), f"RECORD is wrong for {path}"
    assert listed == set(archive.namelist()), "RECORD does not list exactly the archive's files"
    assert f"Tag: {python}-{abi}-{platform}" in archive.read(f"{info}/WHEEL").decode().splitlines()
    assert archive.getinfo("loss_doctor/bin/loss-doctor").external_attr >> 16 & 0o111, "the binary is not executable"
PY
pip_install --no-index "$wheel"
# Nothing of the build tree: the installed package, from a directory of its own.
cd "$scratch"
[ "$(command -v loss-doctor)" = "$scratch/venv/bin/loss-doctor" ] || fail "loss-doctor is not the venv's console script"

set +e
loss-doctor check --loss dice-floor > check.txt
status=$?
set -e
[ "$status" -eq 1 ] || fail "'loss-doctor check --loss dice-floor' exited $status, expected 1"
grep -q "error\[LD101\] floor-division" check.txt || fail "the check did not report LD101"

version=$(python -m loss_doctor --version)
expected=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/python/pyproject.toml")
[ "$version" = "loss-doctor $expected" ] || fail "python -m loss_doctor --version printed '$version', expected 'loss-doctor $expected'"

# The binary needs only glibc: no Swift runtime library may be resolved at load time.
binary=$(python -c 'import loss_doctor; print(loss_doctor.binary_path())')
if ldd "$binary" | grep -i swift; then fail "the bundled binary links Swift libraries dynamically"; fi

cp "$repo"/python/tests/*.py .
if python -c 'import pytest' 2>/dev/null || pip_install --retries 1 --timeout 15 pytest 2>/dev/null; then
    python -m pytest -q -p no:cacheprovider test_assert_healthy.py test_check.py
    # What a user sees when their loss is broken: pytest fails the test and shows the findings.
    printf 'import loss_doctor\nfrom user_losses import dice_coef_loss\n\n\ndef test_seed():\n    loss_doctor.assert_healthy(dice_coef_loss)\n' > test_seed_loss.py
    set +e
    python -m pytest -q -p no:cacheprovider test_seed_loss.py > pytest-seed.txt 2>&1
    status=$?
    set -e
    [ "$status" -eq 1 ] || { cat pytest-seed.txt; fail "pytest on the seed's loss exited $status, expected 1"; }
    grep -q "error\[LD101\] floor-division" pytest-seed.txt || { cat pytest-seed.txt; fail "pytest did not show LD101"; }
    grep -q "1 failed" pytest-seed.txt || fail "pytest did not report one failed test"
    echo "test-wheel: pytest $(python -m pytest --version 2>&1 | head -1)"
else
    echo "test-wheel: pytest unavailable, running the test functions with plain Python"
    python test_assert_healthy.py
    python test_check.py
fi
echo "test-wheel: ok ($(basename "$wheel"), $(du -k "$wheel" | cut -f1) KB)"
