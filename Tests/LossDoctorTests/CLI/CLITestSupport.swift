import Foundation
import Synchronization
import Testing
@testable import LossDoctor

/// Runs the command line in-process, checking each built-in at most once per test run.
enum CLI {
    /// Reports by loss name and options: `check --all` and the single-loss tests share them.
    private static let cache = Mutex<[String: Report]>([:])

    /// The checker the tests inject: a cached `LossCheck.check` (checks are deterministic).
    static let cachedCheck: @Sendable (LossFunction, CheckOptions) -> Report = { loss, options in
        let key = "\(loss.name) simulate=\(options.simulate)"
        if let report = cache.withLock({ $0[key] }) { return report }
        let report = CommandContext.defaultCheck(loss, options)
        cache.withLock { $0[key] = report }
        return report
    }

    /// The cached report of a built-in, checked as `check --loss NAME` does.
    static func report(_ name: String, options: CheckOptions = CheckOptions()) -> Report {
        cachedCheck(ReferenceLosses.named(name)!.function, options)
    }

    /// The result of one run.
    struct Result {
        let stdout: String
        let stderr: String
        let exitCode: Int32
    }

    /// Runs `loss-doctor` with `arguments` (a string split at spaces, or words).
    static func run(_ arguments: [String], environment: [String: String] = [:], stdoutIsTTY: Bool = false) -> Result {
        let result = CommandLineTool.run(arguments, environment: environment, stdoutIsTTY: stdoutIsTTY, check: cachedCheck)
        return Result(stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode)
    }

    static func run(_ line: String, environment: [String: String] = [:], stdoutIsTTY: Bool = false) -> Result {
        run(line.split(separator: " ").map(String.init), environment: environment, stdoutIsTTY: stdoutIsTTY)
    }
}

/// Golden files under `Tests/Fixtures/golden/`: user-visible text pinned byte for byte.
/// `LOSSDOCTOR_UPDATE_GOLDEN=1 swift test` rewrites them; review the diff.
enum Golden {
    static let directory = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Fixtures/golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["LOSSDOCTOR_UPDATE_GOLDEN"] == "1" }

    /// Compares `actual` with the golden file `name`, or rewrites the file when updating.
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appending(path: name)
        if updating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(name): run LOSSDOCTOR_UPDATE_GOLDEN=1 swift test", sourceLocation: sourceLocation)
            return
        }
        if actual != expected {
            Issue.record("\(name) differs from its golden file (LOSSDOCTOR_UPDATE_GOLDEN=1 rewrites it):\n\(firstDifference(expected, actual))",
                         sourceLocation: sourceLocation)
        }
    }

    /// The first differing line, for a readable failure.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<Swift.max(e.count, a.count) {
            let x = i < e.count ? String(e[i]) : "<end>", y = i < a.count ? String(a[i]) : "<end>"
            if x != y { return "line \(i + 1):\n  expected: \(x)\n  actual:   \(y)" }
        }
        return "(same lines; trailing bytes differ)"
    }
}
