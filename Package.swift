// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "loss-doctor",
    products: [
        .library(name: "LossDoctor", targets: ["LossDoctor"]),
        // Assertions for users' own test suites (XCTest and Swift Testing), apart so that the main library
        // does not link either test framework.
        .library(name: "LossDoctorTesting", targets: ["LossDoctorTesting"]),
        .executable(name: "loss-doctor", targets: ["loss-doctor"]),
    ],
    targets: [
        // No `unsafeFlags`: SwiftPM refuses them in a package that others depend on by version. Speed comes
        // from the code (the references' simulated runs are a table, see ReferenceRunTable.swift) and from
        // release builds (`swift test -c release`, the README's test command).
        .target(name: "LossDoctor"),
        .executableTarget(name: "loss-doctor", dependencies: ["LossDoctor"]),
        .target(name: "LossDoctorTesting", dependencies: ["LossDoctor"]),
        .testTarget(
            name: "LossDoctorTests",
            dependencies: ["LossDoctor"]
        ),
        .testTarget(name: "LossDoctorTestingTests", dependencies: ["LossDoctorTesting", "LossDoctor"]),
    ]
)
