#!/usr/bin/env bash
# Writes each ```swift block of the given Markdown files as a Swift test file into OUTDIR, so that a package
# depending on LossDoctor and LossDoctorTesting compiles and runs them (Scripts/test-consumer.sh does).
#   Scripts/extract-swift-samples.sh OUTDIR FILE.md...
# A block that declares things at the top level (`@Test func`, `final class ... XCTestCase`) is a file as it
# stands. Any other block is a run of statements: it becomes the body of an `@Test` function, its imports
# moved above. In such a block `print(EXPRESSION)  // TEXT` states the output: it becomes
# `#expect("\(EXPRESSION)" == "TEXT")`, so that a sample's comments cannot drift from what it prints.
# A block that is a fragment (a Package.swift excerpt) is preceded by `<!-- not-compiled: REASON -->`.
set -euo pipefail
out=$1
shift
mkdir -p "$out"
count=0
for markdown in "$@"; do
    stem=$(basename "$markdown" .md | tr -c 'A-Za-z0-9\n' '_')
    raw=$(mktemp -d)
    # Split: block N of the file into $raw/N.swift; a skipped block's number into $raw/skipped.
    awk -v dir="$raw" '
        /^```swift[[:space:]]*$/ { n++; inside = 1; skip = (previous ~ /^<!-- not-compiled: .+ -->$/); file = dir "/" n ".swift"
                                   if (skip) print n >> (dir "/skipped"); printf "" > file; next }
        inside && /^```[[:space:]]*$/ { inside = 0; close(file); next }
        inside { if (!skip) print >> file; next }
        /[^[:space:]]/ { previous = $0 }
    ' "$markdown"
    for block in "$raw"/*.swift; do
        [ -e "$block" ] || continue
        n=$(basename "$block" .swift)
        if [ -f "$raw/skipped" ] && grep -qx "$n" "$raw/skipped"; then continue; fi
        target="$out/Sample_${stem}_$n.swift"
        {
            echo "// Block $n of $markdown, extracted by Scripts/extract-swift-samples.sh."
            if grep -Eq '^(@Test|@Suite|(final )?class |struct |enum |func |extension )' "$block"; then
                cat "$block"
            else
                grep -E '^import ' "$block" || true
                grep -qx 'import LossDoctor' "$block" || echo "import LossDoctor"
                grep -qx 'import Testing' "$block" || echo "import Testing"
                echo
                echo "@Test func sample_${stem}_$n() async throws {"
                grep -Ev '^import ' "$block" \
                    | sed -E 's|^([[:space:]]*)print\((.*)\)[[:space:]]*//[[:space:]]*(.*[^[:space:]])[[:space:]]*$|\1#expect("\\(\2)" == #"\3"#)|' \
                    | sed -E 's|^(.)|    \1|'
                echo "}"
            fi
        } > "$target"
        count=$((count + 1))
    done
    rm -rf "$raw"
done
echo "extract-swift-samples: $count blocks from $# files into $out"
