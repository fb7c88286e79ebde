#!/usr/bin/env bash
# A throwaway Swift package that depends on LossDoctor the way users add it, by a version tag
# (`.package(url:, from:)`: SwiftPM refuses unsafeFlags in such a dependency), and runs the README's
# example test with LossDoctorTesting and a test of the public API, in a debug build as a user's `swift test` does.
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
# The README's example, as the repository's own test keeps it.
sed -n '/\/\/ README example begins/,/\/\/ README example ends/p' Tests/LossDoctorTestingTests/ReadmeExampleTests.swift \
    > "$scratch/consumer/Tests/LossesTests/ReadmeExampleTests.swift"
grep -q assertHealthyLoss "$scratch/consumer/Tests/LossesTests/ReadmeExampleTests.swift"
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
swift test --skip-build 2>&1 | tail -8
end=$(date +%s.%N)
echo "test-consumer: ok (LossDoctor $version by tag; the consumer's debug test run took $(awk "BEGIN { printf \"%.1f\", $end - $start }") s)"
