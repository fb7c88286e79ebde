#!/usr/bin/env bash
# Builds the self-contained release binary (Swift's standard library linked in; it needs only glibc) and
# the Python wheel around it, dist/loss_doctor-VERSION-py3-none-manylinux_2_N_ARCH.whl. No network: the
# wheel is written by Scripts/make-wheel.py with Python's standard library.
#   Scripts/build-wheel.sh [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist
if [ "${1:-}" = "--out" ] && [ -n "${2:-}" ]; then out=$2; fi

swift build -c release --static-swift-stdlib --product loss-doctor
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/loss-doctor"
python3 Scripts/make-wheel.py --binary "$binary" --out "$out"
