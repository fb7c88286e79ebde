import Testing
@testable import LossDoctor

@Suite("Simulated training")
struct SimulationTests {
    @Test("the task generator gives the same bytes twice, and other bytes for another seed")
    func taskIsDeterministic() {
        let a = SegmentationTask(), b = SegmentationTask()
        #expect(a.train.images == b.train.images && a.train.masks == b.train.masks)
        #expect(a.validation.images == b.validation.images && a.validation.masks == b.validation.masks)
        var other = SegmentationTask.Configuration()
        other.seed += 1
        #expect(SegmentationTask(other).train.images != a.train.images)
    }

    @Test("a run an error cuts short after it began (a deadline on a loaded machine) is shown, never judged")
    func runCutShortIsNotJudged() {
        final class Calls: @unchecked Sendable { var count = 0 }
        let calls = Calls()
        // Zero gradient: a complete run stalls. Two calls a step (training and validation batch).
        let flat = LossFunction(name: "flat") { _, p in
            calls.count += 1
            if calls.count > 10 { throw InterpreterError(.limit, "checking the loss took longer than 20 s", at: nil) }
            return try (p * Tensor(0)).sum() + Tensor(1)
        }
        var cut = Evidence.none("flat")
        cut.simulation = Simulation.evidence(for: flat)
        #expect(cut.simulation?.run.isComplete == false)
        #expect(cut.simulation?.run.failure?.hasPrefix("stopped at step 5 of 30: checking the loss took longer") == true)
        #expect(cut.judgedSimulation == nil)
        #expect(!RuleRegistry.check(cut).contains { $0.code == RuleDescription.stalledTraining.code })
        // The same loss, not cut, stalls and is reported: the cut, not the loss, kept the rule silent.
        calls.count = -1_000_000
        var whole = Evidence.none("flat")
        whole.simulation = Simulation.evidence(for: flat)
        #expect(whole.simulation?.run.isComplete == true)
        #expect(RuleRegistry.check(whole).contains { $0.code == RuleDescription.stalledTraining.code })
    }

    @Test("the task is imbalanced like real masks: 2-10 % foreground, empty images, tiny blobs")
    func taskShape() {
        let task = Simulation.standardTask
        for split in [task.train, task.validation] {
            #expect(split.foregroundFraction > 0.02 && split.foregroundFraction < 0.1, "\(split.foregroundFraction)")
            #expect(split.emptyImages >= 1)
            // Image 1 of each split holds a tiny blob first: some image has between 1 and 8 foreground pixels in a 5x5 window.
            let per = split.shape[1] * split.shape[2]
            let counts = (0..<split.shape[0]).map { s in split.masks[(s * per)..<((s + 1) * per)].reduce(0, +) }
            #expect(counts.contains { $0 > 0 && $0 < 40 }, "\(counts)")
        }
        #expect(task.validation.allBackgroundAccuracy == 1 - task.validation.foregroundFraction)
    }

    @Test("the convolution is a zero-padded 3x3 cross-correlation with bias, and its gradient matches finite differences")
    func convolution() throws {
        var generator = SeededGenerator(seed: 7)
        let (n, h, w) = (2, 5, 4)
        let image = (0..<(n * h * w)).map { _ in generator.nextUnit() - 0.5 }
        let parameters = (0..<10).map { _ in generator.nextUnit() - 0.5 }
        let shifts = try TinySegmenter.shifts(of: Tensor(shape: [n, h, w, 1], scalars: image))
        let logits = try TinySegmenter.logits(shifts: shifts, parameters: parameters.map { Tensor($0) }).scalars
        for s in 0..<n { for y in 0..<h { for x in 0..<w {
            var expected = parameters[9]
            for dy in -1...1 { for dx in -1...1 where (0..<h).contains(y + dy) && (0..<w).contains(x + dx) {
                expected += parameters[(dy + 1) * 3 + dx + 1] * image[(s * h + y + dy) * w + x + dx]
            } }
            #expect(Swift.abs(logits[(s * h + y) * w + x] - expected) < 1e-5)
        } } }

        // d/dθ mean(sigmoid(logits) * weights) against central differences in double.
        let weights = (0..<(n * h * w)).map { _ in generator.nextUnit() }
        func loss(_ theta: [Float]) throws -> (Tensor, [Tensor]) {
            let p = theta.map { Tensor.variable(shape: [], scalars: [$0]) }
            let z = try TinySegmenter.logits(shifts: shifts, parameters: p)
            return (try (z.sigmoid() * Tensor(shape: [n, h, w, 1], scalars: weights)).mean(), p)
        }
        let (value, variables) = try loss(parameters)
        let analytic = value.gradients(withRespectTo: variables).map { $0![0] }
        for k in 0..<10 {
            var plus = parameters, minus = parameters
            plus[k] += 1e-2; minus[k] -= 1e-2
            let numeric = (try loss(plus).0.scalars[0] - loss(minus).0.scalars[0]) / 2e-2
            #expect(Swift.abs(analytic[k] - numeric) < 2e-3, "parameter \(k): \(analytic[k]) vs \(numeric)")
        }
    }

    @Test("Adam's first step moves each parameter by the learning rate against its gradient's sign")
    func adamFirstStep() {
        var optimizer = Adam(parameterCount: 3, learningRate: 0.1)
        var parameters: [Float] = [1, 1, 1]
        optimizer.step(&parameters, [0.5, -2, 0])
        #expect(Swift.abs(parameters[0] - 0.9) < 1e-5 && Swift.abs(parameters[1] - 1.1) < 1e-5 && parameters[2] == 1)
    }

    @Test("a run is deterministic")
    func runIsDeterministic() throws {
        let loss = try #require(ReferenceLosses.named("soft-dice")).function
        #expect(Simulation.train(loss).points == Simulation.referenceRun("soft-dice")?.points)
    }

    @Test("healthy references learn: validation Dice rises well above the all-background model's 0",
          arguments: ReferenceLosses.healthy.map(\.name))
    func healthyReferencesLearn(name: String) throws {
        let run = try #require(Simulation.referenceRun(name))
        let first = try #require(run.initial), last = try #require(run.final)
        #expect(first.dice == 0 && first.accuracy == run.allBackgroundAccuracy, "the untrained model predicts nothing")
        #expect(last.dice > 0.7, "\(name): final Dice \(last.dice)")
        #expect(last.accuracy > run.allBackgroundAccuracy)
        #expect(try #require(run.stepsToDice(Simulation.diceTarget)) <= run.budget.steps / 2)
        #expect(run.delivery == .healthy && run.firstNonFiniteStep == nil)
        #expect(!StalledTrainingRule.isStalled(run))
    }

    @Test("the seed's dice-floor is reported as stalled, with its constant validation loss")
    func diceFloorStalls() throws {
        let report = BuiltinReports.report("dice-floor")
        let stalled = try #require(report.findings.first { $0.code == "LD501" })
        #expect(stalled.severity == .error)
        #expect(stalled.message.hasPrefix("validation loss stays at 1 for all \(Simulation.standardBudget.steps) steps"))
        #expect(stalled.numbers["validation_loss"] == 1)
        let run = try #require(report.evidence.simulation?.run)
        #expect(run.delivery == .missing && Set(run.validationLosses) == [1])
        #expect(report.codes.contains("LD503"))
    }

    @Test("losses without a usable gradient stall; losses that steer wrong are slow, collapse to background or learn something else", arguments: [
        ("dice-round", "LD501"), ("dice-threshold", "LD501"), ("dice-detach", "LD501"),
        ("dice-coef", "LD505"), ("dice-large-smooth", "LD502"), ("bce-sign-error", "LD502"),
        ("double-sigmoid", "LD504"), ("bce-swapped", "LD504"), ("dice-channel-axis", "LD504"),
    ])
    func brokenAreFlagged(name: String, code: String) {
        #expect(BuiltinReports.report(name).codes.contains(code))
    }

    @Test("without simulation, no training rule fires and the evidence has no run")
    func simulationIsOptional() throws {
        let report = LossCheck.check(try #require(ReferenceLosses.named("dice-floor")).function)
        #expect(report.evidence.simulation == nil)
        #expect(!report.codes.contains { $0.hasPrefix("LD5") })
    }

    @Test("reference-mismatch fits focal-times-gamma as 2 x BCE")
    func referenceMismatchFit() throws {
        let fit = try #require(ReferenceMismatchRule.fits(BuiltinReports.report("focal-times-gamma").evidence).first)
        #expect(fit.reference == "bce" && Swift.abs(fit.scale - 2) < 1e-3 && Swift.abs(fit.offset) < 1e-3)
        #expect(ReferenceMismatchRule.families(named: "dice_coef_loss").map(\.name) == ["Dice"])
        #expect(ReferenceMismatchRule.families(named: "BinaryCrossEntropy").map(\.name) == ["BCE"])
        #expect(ReferenceMismatchRule.families(named: "mse").isEmpty)
    }
}

@Suite("Curves")
struct CurveTests {
    @Test("sparklines scale between the extremes; constant is flat; long series are sampled")
    func sparkline() {
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7] as [Double]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([3, 3, 3] as [Double]) == "▄▄▄")
        #expect(Sparkline.render([1, .nan, 0] as [Double]) == "█ ▁")
        #expect(Sparkline.render((0...40).map(Double.init), width: 5) == "▁▃▅▆█")
        #expect(Sparkline.render([0.5] as [Double], range: 0...1) == "▅")
    }

    static let svg: String = CurveChart(runs: ["bce", "soft-dice"].compactMap(Simulation.referenceRun)
        + [Simulation.train(ReferenceLosses.named("dice-floor")!.function)]).svg()

    @Test("the SVG is well-formed XML with one root")
    func wellFormed() throws {
        #expect(Self.svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        var stack: [String] = []
        var rest = Substring(Self.svg)
        var roots = 0
        while let open = rest.firstIndex(of: "<") {
            let close = try #require(rest[open...].firstIndex(of: ">"))
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("?") { continue }
            let name = String(tag.drop { $0 == "/" }.prefix { $0 != " " && $0 != "/" })
            #expect(!name.isEmpty && name.allSatisfy { $0.isLetter })
            if tag.hasPrefix("/") {
                #expect(stack.popLast() == name, "</\(name)> closes \(stack.last ?? "nothing")")
            } else if !tag.hasSuffix("/") {
                if stack.isEmpty { roots += 1 }
                stack.append(name)
            }
            // Attribute values are quoted and hold no raw `<` or `&` outside entities.
            #expect(tag.filter { $0 == "\"" }.count % 2 == 0, "\(tag)")
        }
        #expect(stack.isEmpty && roots == 1)
        #expect(!Self.svg.contains("nan") && !Self.svg.contains("inf"))
    }

    @Test("the SVG has a loss curve and a Dice curve per run, axes, labels and a legend")
    func content() {
        let svg = Self.svg
        for name in ["bce", "soft-dice", "dice-floor"] {
            #expect(svg.components("data-loss=\"\(name)\"") >= 2, "\(name)")
            #expect(svg.contains(">\(name) (final Dice"), "\(name) in the legend")
        }
        #expect(svg.contains("Validation loss, normalised per loss") && svg.contains("Validation Dice (threshold 0.5)"))
        #expect(svg.components("training step") == 2)
        #expect(svg.contains("<g class=\"legend\">") && svg.contains("loss constant"))
        #expect(svg.contains(CurveChart.color(0)) && svg.contains(CurveChart.color(2)))
    }
}

extension String {
    /// Number of non-overlapping occurrences of `needle`.
    fileprivate func components(_ needle: String) -> Int { ranges(of: needle).count }
}
