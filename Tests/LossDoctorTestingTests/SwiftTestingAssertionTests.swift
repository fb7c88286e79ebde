import LossDoctor
@testable import LossDoctorTesting
import Testing

/// The assertions under Swift Testing: a failure is an `Issue` (not an `XCTFail`, which a `@Test` would
/// silently drop), at the caller's line, with the findings.
@Suite("Healthy-loss assertions in Swift Testing")
struct SwiftTestingAssertionTests {
    @Test("fails on dice-floor with the findings, at the call")
    func failsOnDiceFloor() {
        let line = #line + 2
        withKnownIssue {
            #expect(!assertHealthyLoss(builtin: "dice-floor"))
        } matching: { issue in
            let text = issue.comments.map(\.rawValue).joined(separator: "\n")
            return issue.sourceLocation?.line == line
                && text.contains("loss `dice-floor` is not healthy: 1 error (failing on warning and above)")
                && text.contains("error[LD101] floor-division")
        }
    }

    @Test("passes on soft-dice")
    func passesOnSoftDice() {
        #expect(assertHealthyLoss(builtin: "soft-dice"))
    }

    @Test("a Swift closure: soft Dice per sample is healthy; a rounded prediction is not")
    func closures() {
        #expect(assertHealthyLoss(name: "soft-dice") { yTrue, yPred in
            let intersection = try (yTrue * yPred).sum(axes: [1, 2, 3])
            let total = try yTrue.sum(axes: [1, 2, 3]) + yPred.sum(axes: [1, 2, 3])
            return try (1 - (2 * intersection + 1) / (total + 1)).mean()
        })
        withKnownIssue {
            assertHealthyLoss(name: "rounded") { yTrue, yPred in
                try ((yPred.rounded() - yTrue) * (yPred.rounded() - yTrue)).mean()
            }
        }
    }

    @Test("the message: counts, one block per failing finding, where to read more")
    func message() throws {
        let report = try LossCheck.check(builtin: "dice-floor")
        let failing = report.findings.filter { $0.severity >= .warning }
        let text = HealthCheck.message(report, failing, .warning)
        let lines = text.split(separator: "\n").map(String.init)
        // piecewise-constant (LD105) follows from the floor division: a note of LD101, not a warning of its own.
        #expect(lines.first == "loss `dice-floor` is not healthy: 1 error (failing on warning and above)")
        #expect(lines.contains("    fix: Use true division `/`."))
        #expect(lines.last == "run `loss-doctor explain LD101` for what a rule measures and why")
    }
}
