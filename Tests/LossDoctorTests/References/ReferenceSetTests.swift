import Testing
@testable import LossDoctor

@Suite("Reference set")
struct ReferenceSetTests {
    @Test("each built-in produces exactly its expected rule codes", arguments: ReferenceLosses.all.map(\.name))
    func expectedFindings(name: String) {
        let reference = ReferenceLosses.named(name)!
        #expect(BuiltinReports.report(name).codes == reference.expected.sorted(), "\(name)")
    }

    @Test("healthy references have no error or warning", arguments: ReferenceLosses.healthy.map(\.name))
    func healthyStayQuiet(name: String) {
        let report = BuiltinReports.report(name)
        #expect(report.findings.allSatisfy { $0.severity == .info }, "\(name): \(report.codes)")
    }

    @Test("every broken built-in has at least one error or warning", arguments: ReferenceLosses.broken.map(\.name))
    func brokenAreFlagged(name: String) {
        let severities = BuiltinReports.report(name).findings.map(\.severity)
        // batch-pooled, output-shape, negative-range and reference-mismatch are info by design: those built-ins
        // exist to show them.
        if ["batch-dice", "neg-dice", "dice-per-sample", "focal-times-gamma"].contains(name) {
            #expect(!severities.isEmpty)
        } else {
            #expect(severities.contains { $0 >= .warning }, "\(name)")
        }
    }

    @Test("names are unique kebab-case and every expected code is a registered rule")
    func catalogIsConsistent() {
        let names = ReferenceLosses.all.map(\.name)
        #expect(Set(names).count == names.count)
        for reference in ReferenceLosses.all {
            #expect(reference.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(reference.name)")
            for code in reference.expected { #expect(RuleRegistry.rule(code) != nil, "\(reference.name): \(code)") }
        }
    }

    /// Keras' documented Dice example (../shared/notes/ecosystem.md): axis=None gives 0.6164384.
    @Test("Keras Dice(axis=None) matches Keras' documented example")
    func kerasDiceExample() throws {
        let y = Tensor(shape: [2, 2, 2, 1], scalars: [1, 1, 0, 0, 1, 1, 0, 0])
        let p = Tensor(shape: [2, 2, 2, 1], scalars: [0, 1, 0, 1, 0.4, 0, 0, 0.9])
        let loss = try ReferenceLosses.named("dice-eps-denominator")!.compute(y, p)
        #expect(Swift.abs(loss.scalars[0] - 0.6164384) < 1e-6)
        let perSample = try 1 - LossMath.Overlap(y, p, axes: [1, 2, 3]).dice(smooth: Tensor(LossMath.kerasEpsilon))
        #expect(Swift.abs(perSample.scalars[0] - 0.5) < 1e-6)
        #expect(Swift.abs(perSample.scalars[1] - 0.75757576) < 1e-6)
    }

    /// Keras 3 (keras/src/backend/tensorflow/nn.py) clips to [eps, 1 - eps] and takes the log with no further
    /// epsilon. In float32, 1 - 1e-7 rounds to 1 - 2^-23 (0.99999988), so a confident mistake costs
    /// -log(1.1920929e-7) = 15.942, not the float64 -log(1e-7) = 16.118 that framework-facts.md rounds to.
    @Test("Keras BCE clips at epsilon in float32: a confident mistake costs 15.942")
    func kerasBCEClip() throws {
        let loss = try LossMath.kerasBinaryCrossEntropy(Tensor(0), Tensor(1))
        #expect(Swift.abs(loss.scalars[0] - 15.942385) < 1e-4)
        let correct = try LossMath.kerasBinaryCrossEntropy(Tensor(1), Tensor(1))
        #expect(Swift.abs(correct.scalars[0] - 1.1920929e-7) < 1e-9)
    }

    /// framework-facts.md: the seed's loss is 1.0 for any imperfect prediction, 0 only when perfect.
    @Test("dice-floor is 1 for p = 0.99 y and 0 for p = y (the seed, measured in TensorFlow)")
    func seedLossIsStuck() throws {
        let runner = ProbeRunner()
        let y = runner.geometry.mask(.imbalanced)
        let target = Tensor(shape: runner.geometry.shape, scalars: y)
        let diceFloor = ReferenceLosses.named("dice-floor")!
        #expect(try diceFloor.compute(target, Tensor(shape: target.shape, scalars: y.map { 0.99 * $0 })).scalars[0] == 1)
        #expect(try diceFloor.compute(target, target).scalars[0] == 0)
    }
}
