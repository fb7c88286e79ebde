import Foundation
import Testing
@testable import LossDoctor

/// Issue 16, step 5: discovery and suppression matching are linear in their input (both were quadratic:
/// 40,000 definitions took over a minute, 20,000 suppression comments 85 s).
@Suite("Discovery and suppressions stay linear")
struct LinearTimeTests {
    @Test("20,000 suppression comments over 20,000 findings are matched in linear time (85 s before)")
    func suppressions() throws {
        let count = 20_000
        let lines = (0..<count).map { "    s = s * 1.0  # noqa: LD10\($0 % 2 == 0 ? 1 : 5)" }
        let source = "def my_loss(pred, target):\n    s = pred\n" + lines.joined(separator: "\n") + "\n    return s\n"
        var options = SourceOptions()
        options.limits.fileBytes = 4 << 20
        options.limits.steps = 10_000_000
        let module = try SourceChecker.parse(source, file: "s.py", limits: options.limits).get()
        let suppressions = FileSuppressions(module: module, file: "s.py", lineCount: count + 4)
        #expect(suppressions.suppressions.count == count, "\(suppressions.suppressions.prefix(2))")
        let findings = (0..<count).map { i in
            Finding(code: "LD10\(i % 2 == 0 ? 1 : 5)", name: "x", severity: .error, message: "m", site: SourceSite(file: "s.py", line: i + 3, column: 5), fix: "f")
        }
        let report = Report(loss: "my_loss", findings: findings + [Finding(code: "LD201", name: "y", severity: .error, message: "kept", site: SourceSite(file: "s.py", line: 3, column: 1), fix: "f")],
                            evidence: .none("my_loss"))
        let clock = ContinuousClock()
        let start = clock.now
        let applied = suppressions.apply(to: [report], wholeFile: true)
        #expect(clock.now - start < .seconds(20))
        #expect(applied.first?.findings.count == 1)
        #expect(applied.first?.findings.first?.message == "kept")
    }

    @Test("20,000 suppressions that silence nothing become 20,000 LD606 findings in linear time (67 s before)")
    func unusedSuppressions() throws {
        let count = 20_000
        let head = "def my_loss(pred, target):\n"
        let lines = (0..<count).map { _ in "    s = s  # noqa: LD101" }
        let source = head + "    s = pred\n" + lines.joined(separator: "\n") + "\n    return ((s - target) ** 2).mean()\n"
        var limits = InterpreterLimits()
        limits.fileBytes = 4 << 20
        let module = try SourceChecker.parse(source, file: "losses.py", limits: limits).get()
        let suppressions = FileSuppressions(module: module, file: "losses.py", lineCount: count + 4)
        // A probed report of the same loss (its `def` on the same line), without the 20,000 statements to run.
        let reports = checkSource(head + "    return ((pred - target) ** 2).mean()\n").reports
        #expect(reports.count == 1 && reports.allSatisfy(\.evidence.wasProbed))
        let clock = ContinuousClock()
        let start = clock.now
        let applied = suppressions.apply(to: reports, wholeFile: true)
        #expect(clock.now - start < .seconds(20))
        let unused = applied.flatMap(\.findings).filter { $0.code == "LD606" }
        #expect(unused.count == count)
        #expect(unused.compactMap(\.site?.line) == Array(3..<(count + 3)))
    }

    @Test("a file of 20,000 definitions is discovered in seconds, only --max-losses of them checked")
    func discovery() throws {
        let source = "import torch\n" + (0..<20_000).map { "def f\($0)(a, b):\n    return a\n" }.joined()
        var options = SourceOptions()
        options.limits.fileBytes = 4 << 20
        let clock = ContinuousClock()
        let start = clock.now
        let file = SourceChecker.prepare(source: source, file: "defs.py", options: options)
        #expect(clock.now - start < .seconds(60))
        #expect(file.losses.count == options.limits.lossesPerFile)
    }
}

/// Issue 16, step 5: findings are capped per loss and per run, with a note; the exit status still reads all.
@Suite("Findings are capped")
struct FindingCapTests {
    static func report(_ name: String, _ count: Int, severity: Severity = .warning) -> Report {
        Report(loss: name, findings: (0..<count).map { i in
            Finding(code: "LD603", name: "python-error", severity: i == count - 1 ? .error : severity, message: "m\(i)",
                    site: SourceSite(file: "f.py", line: i + 1, column: 1), fix: "f")
        }, evidence: .none(name))
    }

    @Test("a loss keeps its first 1,000 findings and a note of how many more there were")
    func perReport() {
        let capped = FindingCap.apply([Self.report("a", 12_000)])
        #expect(capped[0].findings.count == FindingCap.perReport + 1)
        #expect(capped[0].findings.last?.message == "11000 more findings of a left out: a report shows at most 1000 findings a loss and 20000 a run")
        #expect(capped[0].findings.last?.severity == .info)
    }

    @Test("a run keeps at most 20,000 findings (SARIF within GitHub's 25,000 results), notes included")
    func perRun() {
        let capped = FindingCap.apply((0..<30).map { Self.report("l\($0)", 1_500) })
        let total = capped.map(\.findings.count).reduce(0, +)
        #expect(total <= FindingCap.perRun + 30)
        #expect(capped.last?.findings.count == 1)  // only the note
    }

    @Test("an error past the cap still fails the check")
    func exitStatusReadsAll() {
        #expect(CheckCommand.exitStatus([Self.report("a", 5_000)], failOn: "error", exitZero: false) == 1)
    }
}
