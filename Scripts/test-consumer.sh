#!/usr/bin/env bash
# A throwaway Swift package that depends on LossDoctor the way users add it, by a version tag
# (`.package(url:, from:)`: SwiftPM refuses unsafeFlags in such a dependency), and runs every Swift sample of the
# README and the DocC articles (Scripts/extract-swift-samples.sh) and a test of the public API, in a debug build as
# a user's `swift test` does.
#   Scripts/test-consumer.sh     (tests the committed HEAD: it clones the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
version=$(sed -n 's/.*public static let version = "\(.*\)"/\1/p' Sources/LossDoctor/Analysis.swift)

git clone -q "$repo" "$scratch/loss-doctor"
git -C "$scratch/loss-doctor" -c user.name=ci -c user.email=ci@localhost tag -f "$version" HEAD >/dev/null

mkdir -p "$scratch/consumer/Sources/Losses" "$scratch/consumer/Tests/LossesTests"
cat > "$scratch/consumer/Package.swift" <<SWIFT
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "consumer",
    products: [.library(name: "Losses", targets: ["Losses"])],
    dependencies: [.package(url: "file://$scratch/loss-doctor", from: "$version")],
    targets: [
        .target(name: "Losses"),
        .testTarget(name: "LossesTests", dependencies: [
            "Losses",
            .product(name: "LossDoctor", package: "loss-doctor"),
            .product(name: "LossDoctorTesting", package: "loss-doctor"),
        ]),
    ]
)
SWIFT
echo 'public let lossName = "dice_loss"' > "$scratch/consumer/Sources/Losses/Losses.swift"
# Every Swift sample of the README and the DocC articles, as a test (fragments are marked `not-compiled`).
Scripts/extract-swift-samples.sh "$scratch/consumer/Tests/LossesTests" README.md Sources/LossDoctor/LossDoctor.docc/*.md
grep -lq assertHealthyLoss "$scratch"/consumer/Tests/LossesTests/Sample_README_*.swift
samples=$(ls "$scratch"/consumer/Tests/LossesTests/Sample_*.swift | wc -l)
[ "$samples" -ge 8 ] || { echo "test-consumer: only $samples Swift samples extracted" >&2; exit 1; }
# What a user writes without @testable: the module-qualified name resolves (no type is named LossDoctor), and
# the library's names sit next to Swift Testing's (`Comment`, `Issue`) without ambiguity.
cat > "$scratch/consumer/Tests/LossesTests/PublicAPITests.swift" <<'SWIFT'
import LossDoctor
import Testing

@Test func publicAPI() throws {
    let report: LossDoctor.Report = try LossCheck.check(builtin: "dice-floor")
    let first: Finding = try #require(report.findings.first)
    #expect(first.code == "LD101" && first.severity == .error, Comment(rawValue: "the seed's floor division"))
    let product = try Tensor(shape: [2], scalars: [1, 2]) * Tensor(3)
    #expect(product.scalars == [3, 6])
}
SWIFT

cd "$scratch/consumer"
swift build --build-tests 2>&1 | tail -3
grep -q "\"version\" : \"$version\"" Package.resolved || { cat Package.resolved; echo "test-consumer: not resolved to version $version" >&2; exit 1; }
start=$(date +%s.%N)
swift test --skip-build 2>&1 | tee "$scratch/test.log" | tail -8
end=$(date +%s.%N)
# Each sample ran: Swift Testing names them, and the run failed nowhere.
ran=$(grep -c '✔ Test sample_' "$scratch/test.log" || true)
[ "$ran" -ge 6 ] || { echo "test-consumer: only $ran sample tests passed" >&2; exit 1; }
echo "test-consumer: ok (LossDoctor $version by tag; the consumer's debug test run took $(awk "BEGIN { printf \"%.1f\", $end - $start }") s)"
