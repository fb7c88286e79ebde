#!/usr/bin/env bash
# Fuzzes LossDoctor with libFuzzer and AddressSanitizer. Three targets, chosen by FUZZ_TARGET:
#   interpreter (default)  Python source: lexer, parser, evaluator, discovery, probes and rules (Fuzz/FuzzInterpreter.swift)
#   configuration          pyproject.toml: TOML and [tool.loss-doctor] (Fuzz/FuzzConfiguration.swift)
#   flags                  command lines, one word a line, in a scratch directory (Fuzz/FuzzFlags.swift)
# Not part of `swift build`: it compiles the library's sources and the target's file with swiftc into
# .build-fuzz/<target>/ (gitignored).
#
#   Scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]   build, then fuzz for SECONDS (default 600)
#   Scripts/fuzz.sh --build                                 build only
#   Scripts/fuzz.sh --replay FILE...                        run the target once on each FILE
#   FUZZ_FROM=HEAD Scripts/fuzz.sh ...                      build from a commit instead of the working tree
#
# The corpus (.build-fuzz/corpus) starts from Tests/Fixtures/losses, Tests/Fixtures/hostile and Fuzz/seeds
# (short module-level snippets: no loss to probe, so their mutations run in milliseconds) and grows
# across runs; crashes, timeouts and OOMs land in .build-fuzz/artifacts. Keep every one that was fixed in
# Tests/Fixtures/hostile/ (HostileFixtureTests runs them all).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${FUZZ_TARGET:-interpreter}
case "$target" in
    interpreter) entry=FuzzInterpreter.swift; seeds="Tests/Fixtures/losses Tests/Fixtures/hostile Fuzz/seeds"; dict="-dict=Fuzz/python.dict"; maxlen=4096 ;;
    configuration) entry=FuzzConfiguration.swift; seeds="Fuzz/seeds-configuration"; dict=""; maxlen=4096 ;;
    flags) entry=FuzzFlags.swift; seeds="Fuzz/seeds-flags"; dict=""; maxlen=512 ;;
    *) echo "unknown FUZZ_TARGET '$target' (interpreter, configuration, flags)" >&2; exit 2 ;;
esac
# The interpreter's corpus keeps its old place, so that earlier runs' corpora still count.
if [ "$target" = interpreter ]; then out=.build-fuzz; else out=.build-fuzz/$target; fi
binary=$out/fuzz-$target
mkdir -p "$out/corpus" "$out/artifacts"

build() {
    # A snapshot of the sources, so that edits made meanwhile do not fail the (slow) build: the working
    # tree, or with FUZZ_FROM=REV (e.g. HEAD) a commit, when others' unfinished edits do not compile.
    rm -rf "$out/src" && mkdir -p "$out/src"
    if [ -n "${FUZZ_FROM:-}" ]; then
        git archive "$FUZZ_FROM" Sources/LossDoctor Fuzz | tar -x -C "$out/src"
    else
        mkdir -p "$out/src/Sources" && cp -R Sources/LossDoctor "$out/src/Sources/" && cp -R Fuzz "$out/src/"
    fi
    local sources
    sources="$(find "$out/src/Sources" -name '*.swift' | sort) $out/src/Fuzz/$entry"
    # -O keeps overflow and bounds checks (unlike the release build's -Ounchecked): a trap is a finding.
    # The linker warns about every ASan helper symbol; those lines are dropped.
    # shellcheck disable=SC2086
    swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g -module-name LossDoctor \
        $sources -o "$binary" 2>&1 | { grep -v "Cannot export local symbol" || true; }
    [ -x "$binary" ]
}

seed() {
    local file
    # shellcheck disable=SC2086
    for file in $(find $seeds -type f 2>/dev/null || true); do
        cp "$file" "$out/corpus/seed-$(echo "$file" | tr '/' '_')"
    done
}

case "${1:-}" in
    --build) build; exit ;;
    --replay) shift; [ -x "$binary" ] || build; ASAN_OPTIONS="detect_leaks=0" SWIFT_BACKTRACE="enable=no" exec "$binary" -rss_limit_mb=2048 -timeout=30 "$@" ;;
esac

seconds=${1:-600}
shift || true
# Rebuild when a source changed since the last build (FUZZ_REBUILD=1 forces it, FUZZ_REBUILD=0 skips it).
if [ ! -x "$binary" ] || [ "${FUZZ_REBUILD:-}" = 1 ] || { [ "${FUZZ_REBUILD:-}" != 0 ] && [ -n "$(find Sources/LossDoctor Fuzz -newer "$binary" -name '*.swift' | head -1)" ]; }; then
    build
fi
seed
# The interpreter's scopes and closures form reference cycles that live until the process ends: not a
# finding for a one-shot CLI, so leak detection is off.
export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"
# Swift's own crash reporter would wait on the sanitizer's process: libFuzzer reports the crash itself.
export SWIFT_BACKTRACE="enable=no"
# shellcheck disable=SC2086
# Absolute paths: the flags target changes into its scratch directory.
exec "$binary" "$PWD/$out/corpus" $dict -max_total_time="$seconds" -max_len=$maxlen \
    -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 -artifact_prefix="$PWD/$out/artifacts/" -print_final_stats=1 "$@"
