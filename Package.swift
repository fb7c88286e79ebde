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
        .target(
            name: "LossDoctor",
            // The probes run thousands of tensor ops: optimise the library in debug builds too, so that
            // `swift test` takes seconds, not minutes.
            swiftSettings: [
                .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
                .unsafeFlags(["-O"], .when(configuration: .debug)),
            ]
        ),
        .executableTarget(name: "loss-doctor", dependencies: ["LossDoctor"]),
        .target(name: "LossDoctorTesting", dependencies: ["LossDoctor"]),
        .testTarget(
            name: "LossDoctorTests",
            dependencies: ["LossDoctor"]
        ),
        .testTarget(name: "LossDoctorTestingTests", dependencies: ["LossDoctorTesting", "LossDoctor"]),
    ]
)
