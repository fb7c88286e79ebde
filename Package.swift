// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "loss-doctor",
    products: [
        .library(name: "LossDoctor", targets: ["LossDoctor"]),
        .executable(name: "loss-doctor", targets: ["loss-doctor"]),
    ],
    targets: [
        .target(
            name: "LossDoctor",
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .executableTarget(name: "loss-doctor", dependencies: ["LossDoctor"]),
        .testTarget(
            name: "LossDoctorTests",
            dependencies: ["LossDoctor"]
        ),
    ]
)
