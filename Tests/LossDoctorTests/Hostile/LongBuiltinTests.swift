import Foundation
import Testing
@testable import LossDoctor

/// Issue 16, step 5: a loss whose few steps are slow (sorting, searching, building huge sequences) ends
/// quickly with LD903, where it ran for minutes under `--timeout 5`.
@Suite("Limits hold inside long builtins")
struct LongBuiltinTests {
    /// The LD903 findings of `hostile_loss`, and how long the whole check took.
    func check(_ body: String, seconds: Double = 5) -> (limit: [Finding], elapsed: Duration) {
        var options = SourceOptions()
        options.limits.seconds = seconds
        let clock = ContinuousClock()
        let start = clock.now
        let result = CheckPipeline.check(source: "import torch\n\ndef hostile_loss(pred, target):\n" + body
                                         + "    return ((pred - target) ** 2).mean()\n", file: "slow.py", options: options)
        let findings = result.reports.flatMap(\.findings) + result.fileErrors
        return (findings.filter { $0.code == "LD903" }, clock.now - start)
    }

    @Test("sorting a million items 50 times in a loss: LD903 in seconds (was 31 s and 1.6 GB under --timeout 5)")
    func sorting() {
        let outcome = check("    xs = [0.5, 0.25, 0.75, 0.125] * 250000\n    for i in range(50):\n        ys = sorted(xs, reverse=True)\n")
        #expect(!outcome.limit.isEmpty)
        #expect(outcome.elapsed < .seconds(10))
    }

    @Test("searching a 16 MB string: linear, and bounded by the step and time limits")
    func searching() {
        let outcome = check("    s = 'a'\n    for i in range(24):\n        s = s + s\n    n = 'a'\n    for i in range(13):\n        n = n + n\n"
                            + "    n = n + 'b'\n    for i in range(1000):\n        found = n in s\n")
        #expect(!outcome.limit.isEmpty)
        #expect(outcome.elapsed < .seconds(15))
    }

    @Test("every string method that walks a long string counts its steps (partition of a 4 MB string: 74 s under --timeout 20)",
          arguments: ["s.partition(p)", "s.replace(p, 'x')", "s.split(p)", "s.count(p)", "s.upper()", "s.lower()", "s.strip()"])
    func stringMethods(_ call: String) {
        let outcome = check("    s = 'a' * 4000000\n    p = 'a' * 2000000 + 'b'\n    for i in range(100):\n        r = \(call)\n", seconds: 600)
        #expect(outcome.limit.first?.message.hasPrefix("evaluation exceeded") == true, "\(outcome.limit.map(\.message))")
    }

    @Test("substring search by code points, as Python: KMP over UTF-8 agrees with a naive search",
          arguments: [("", ""), ("abc", ""), ("", "a"), ("aab", "ab"), ("abab", "bab"), ("aaaa", "aab"), ("ééa", "éa"),
                      ("x\u{301}", "\u{301}"), ("abcabd", "abd"), ("abcab", "abd")])
    func search(_ text: String, _ sub: String) {
        let naive = Array(sub.unicodeScalars).isEmpty || (0...Swift.max(0, text.unicodeScalars.count - sub.unicodeScalars.count)).contains { start in
            Array(text.unicodeScalars).dropFirst(start).starts(with: Array(sub.unicodeScalars))
        }
        #expect(Interpreter.contains(text, sub) == naive)
    }

    @Test("a 450,000-item tuple literal inside a loss counts as work: LD903, not minutes")
    func literal() {
        let literal = "(" + String(repeating: "1, ", count: 450_000) + ")"
        var options = SourceOptions()
        options.limits.fileBytes = 4 << 20
        options.limits.seconds = 5
        // 450,000 items are 28,125 steps of work (16 items a step): over a 20,000-step budget whatever the
        // machine's speed (an optimised build finishes the literal well inside 5 s, so time alone is no test).
        options.limits.steps = 20_000
        let clock = ContinuousClock()
        let start = clock.now
        let result = CheckPipeline.check(source: "import torch\n\ndef hostile_loss(pred, target):\n    t = \(literal)\n    return ((pred - target) ** 2).mean() * len(t)\n",
                                         file: "literal.py", options: options)
        #expect(result.reports.flatMap(\.findings).contains { $0.code == "LD903" })
        #expect(clock.now - start < .seconds(30))
    }

    @Test("work charged in bulk reads the clock: a charge that jumps over a multiple of 64 steps still checks the deadline")
    func bulkChargeChecksDeadline() throws {
        var limits = InterpreterLimits()
        limits.seconds = 0.000_001
        let interpreter = Interpreter(file: "x.py", limits: limits)
        interpreter.beginLoss()
        Thread.sleep(forTimeInterval: 0.01)
        interpreter.steps = 1
        #expect(throws: InterpreterError.self) { try interpreter.work(items: 10_000, at: SourceSite(file: "x.py", line: 1, column: 1)) }
    }
}
