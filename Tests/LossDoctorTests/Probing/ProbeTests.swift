import Testing
@testable import LossDoctor

@Suite("Probes")
struct ProbeTests {
    let geometry = ProbeGeometry()

    @Test("mask foreground fractions match the probe table")
    func fractions() {
        func fraction(_ kind: MaskKind) -> Double {
            let mask = geometry.mask(kind)
            return Double(mask.reduce(0, +)) / Double(mask.count)
        }
        #expect(fraction(.empty) == 0)
        #expect(fraction(.full) == 1)
        #expect(Swift.abs(fraction(.balanced) - 0.5) < 0.05)
        #expect(Swift.abs(fraction(.imbalanced) - 0.015625) < 1e-9)
        let tiny = geometry.mask(.tiny)
        for sample in 0..<geometry.batch {
            let pixels = tiny[(sample * 4096)..<((sample + 1) * 4096)].reduce(0, +)
            #expect(pixels > 0 && pixels <= 10)
        }
        let mixed = geometry.mask(.mixed)
        let emptySamples = (0..<geometry.batch).filter { s in mixed[(s * 4096)..<((s + 1) * 4096)].allSatisfy { $0 == 0 } }
        #expect(emptySamples.count == geometry.batch / 2)
    }

    /// Calls of a loss, counted across the probe runner's calls (probing is single-threaded).
    final class CallCount: @unchecked Sendable { var calls = 0 }

    @Test("a resource limit hit after the probe table is reported (LD903), not a silently missing sweep; a sweep that raises otherwise is left out")
    func limitAfterTable() throws {
        let tableSize = MaskKind.allCases.count * PredictionKind.allCases.count
        func loss(failing error: @escaping @Sendable () -> any Error) -> LossFunction {
            let count = CallCount()
            return LossFunction(name: "mse") { target, prediction in
                count.calls += 1
                if count.calls > tableSize { throw error() }
                return try ((prediction - target) * (prediction - target)).mean()
            }
        }
        let limited = LossCheck.check(loss { InterpreterError(.limit, "checking the loss took longer than 20 s", at: nil) })
        #expect(limited.evidence.sweeps.isEmpty && limited.evidence.scale == nil)
        let cut = try #require(limited.findings.first { $0.code == RuleDescription.resourceLimit.code })
        #expect(cut.message == "checking the loss took longer than 20 s")
        #expect(cut.probe == ProbeRunner.sweepTable.first.map { "\($0.from.rawValue)->\($0.to.rawValue)@\($0.mask.rawValue)" })
        let raising = LossCheck.check(loss { InterpreterError(.pythonError, "ValueError: only on sweeps", at: nil) })
        #expect(raising.evidence.sweeps.isEmpty && raising.evidence.failures.isEmpty)
        #expect(!raising.findings.contains { $0.code == RuleDescription.resourceLimit.code })
    }

    @Test("masks and random predictions are deterministic")
    func deterministic() {
        for kind in MaskKind.allCases { #expect(geometry.mask(kind) == ProbeGeometry().mask(kind)) }
        let runner = ProbeRunner()
        let mask = geometry.mask(.balanced)
        #expect(runner.probabilities(.random, mask, salt: .balanced) == ProbeRunner().probabilities(.random, mask, salt: .balanced))
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
    }

    @Test("logits encode hard predictions at ±20, past float32 sigmoid saturation (16.7)")
    func logitEncoding() {
        #expect(InputDomain.logits.encode(1) == 20)
        #expect(InputDomain.logits.encode(0) == -20)
        #expect(Swift.abs(InputDomain.logits.encode(0.9) - 2.1972246) < 1e-5)
        #expect(Scalar.sigmoid(16.7) == 1)
    }

    @Test("the whole probe table is evaluated: 6 masks x 9 predictions, 2 sweeps of 65 steps")
    func tableSize() {
        let evidence = BuiltinReports.report("soft-dice").evidence
        #expect(evidence.observations.count == MaskKind.allCases.count * PredictionKind.allCases.count)
        #expect(evidence.sweeps.map(\.values.count) == [65, 65])
        #expect(evidence.failures.isEmpty)
    }

    @Test("channels-first losses receive NCHW probes")
    func channelsFirst() {
        let loss = LossFunction(name: "nchw", layout: .channelsFirst) { y, p in
            #expect(y.shape.count == 4 && y.shape[1] == 1 && y.shape[2] == y.shape[3])
            return try (p - y).squared().mean()
        }
        let evidence = ProbeRunner().run(loss)
        #expect(evidence.failures.isEmpty)
        #expect(evidence.value(.balanced, .perfect) == 0)
    }

    @Test("a loss that throws is recorded as a probe failure, not a crash")
    func failures() {
        let loss = LossFunction(name: "bad") { y, _ in try y.reshaped([7]) }
        let evidence = ProbeRunner().run(loss)
        #expect(!evidence.failures.isEmpty)
        #expect(evidence.failures[0].message.contains("cannot reshape"))
    }

    @Test("additive terms look through +, -, negation and constant scaling")
    func additiveTerms() throws {
        let p = Tensor.variable(shape: [3], scalars: [0.1, 0.5, 0.9])
        let a = try p.sum(), b = try p.log().mean()
        let loss = try 0.5 * a - (-b) + 1
        let terms = ProbeRunner.additiveTerms(of: loss).filter(\.dependsOnVariable)
        #expect(terms.count == 2)
        #expect(terms[0] === a && terms[1] === b)
    }
}
