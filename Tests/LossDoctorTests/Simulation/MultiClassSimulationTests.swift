import Testing
@testable import LossDoctor

/// Multi-class losses written the way users write them, for the multi-class task (C = 3).
enum MultiClassLosses {
    static let format = TargetFormat.oneHot(classes: 3)

    /// Softmax cross-entropy on channels-last logits and one-hot targets (Keras `categorical_crossentropy(from_logits=True)`).
    static let crossEntropy = LossFunction(name: "ce", domain: .logits) { y, z in
        try (-(y * z.logSoftmax(axis: -1)).sum(axes: [3])).mean()
    }

    /// PyTorch `F.cross_entropy(logits, target)`: channels-first logits, class indices without a channel axis.
    static let crossEntropyClassIndex = LossFunction(name: "ce-index", domain: .logits, layout: .channelsFirst) { y, z in
        let hot = try y.oneHot(depth: 3).transposed([0, 3, 1, 2])
        return try (-(hot * z.logSoftmax(axis: 1)).sum(axes: [1])).mean()
    }

    /// Soft Dice per sample and class on softmax probabilities, background included, smooth 1.
    static let softDice = LossFunction(name: "softmax-dice") { y, p in
        let axes = [1, 2]
        return try (1 - (2 * (y * p).sum(axes: axes) + 1) / (y.sum(axes: axes) + p.sum(axes: axes) + 1)).mean()
    }

    /// A "Dice" reduced over the channel axis: one Dice per pixel, which a model predicting background wins.
    static let perPixelDice = LossFunction(name: "per-pixel-dice") { y, p in
        try (1 - (2 * (y * p).sum(axes: [3]) + 1) / (y.sum(axes: [3]) + p.sum(axes: [3]) + 1)).mean()
    }

    /// Dice pooled over batch, pixels and classes together: the background channel dominates it.
    static let pooledDice = LossFunction(name: "pooled-dice") { y, p in
        try 1 - (2 * (y * p).sum() + 1) / (y.sum() + p.sum() + 1)
    }

    /// Softmax applied over a one-channel axis: constant 1, the bug a binary-only simulation reports as zero gradient.
    static let crossEntropyOnProbabilities = LossFunction(name: "ce-probs") { y, p in
        try (-(y * p.clipped(1e-7, 1 - 1e-7).log()).sum(axes: [3])).mean()
    }
}

@Suite("Simulated training, multi-class")
struct MultiClassSimulationTests {
    @Test("the multi-class task holds background and two object classes, some images empty, each class a few percent")
    func task() {
        let task = Simulation.standardMultiClassTask
        #expect(task.classes == 3)
        for split in [task.train, task.validation] {
            let counts = (0..<3).map { c in split.labels.filter { $0 == c }.count }
            #expect(counts[1] > 0 && counts[2] > 0, "\(counts)")
            #expect(split.foregroundFraction > 0.02 && split.foregroundFraction < 0.15, "\(split.foregroundFraction)")
            #expect(split.emptyImages >= 1)
            #expect(split.masks == split.labels.map { $0 > 0 ? 1 : 0 })
        }
        // The binary task keeps its bytes: the class draw only happens for several classes.
        #expect(Simulation.standardTask.train.labels.allSatisfy { $0 <= 1 })
    }

    @Test("one-hot targets follow the loss's layout, class-index targets carry no channel axis")
    func targets() throws {
        let split = Simulation.standardMultiClassTask.validation
        let last = try Simulation.Batch(split, format: .oneHot(classes: 3), outputs: 3, layout: .channelsLast).target
        let first = try Simulation.Batch(split, format: .oneHot(classes: 3), outputs: 3, layout: .channelsFirst).target
        let index = try Simulation.Batch(split, format: .classIndex(classes: 3, ignoreIndex: nil), outputs: 3, layout: .channelsFirst).target
        #expect(last.shape == [8, 32, 32, 3] && first.shape == [8, 3, 32, 32] && index.shape == [8, 32, 32])
        #expect(try first.transposed([0, 2, 3, 1]).scalars == last.scalars)
        #expect(try last.argmax(axis: -1).scalars == index.scalars)
        #expect(index.scalars == split.labels.map(Float.init))
    }

    @Test("the baseline cross-entropy + Dice learns both classes; cross-entropy in either target format learns too")
    func healthyLosses() {
        let baseline = ReferenceRuns.multiClass.baseline
        #expect(baseline.lossName == "ce-dice" && baseline.format == .oneHot(classes: 3))
        #expect((baseline.final?.dice ?? 0) > 0.7, "\(baseline.validationDice)")
        let oneHot = Simulation.train(MultiClassLosses.crossEntropy, format: .oneHot(classes: 3))
        let index = Simulation.train(MultiClassLosses.crossEntropyClassIndex, format: .classIndex(classes: 3, ignoreIndex: 255))
        // The same loss in two target formats and layouts is the same run.
        #expect(oneHot.validationDice == index.validationDice, "\(oneHot.validationDice) vs \(index.validationDice)")
        #expect(oneHot.stepsToDice(Simulation.diceTarget) != nil, "\(oneHot.validationDice)")
    }

    @Test("a per-pixel Dice, a pooled multi-class Dice and a Dice per sample and class with the background all end all background in the simulation, and in real PyTorch training (softmax-dice, per-pixel-dice, pooled-dice: final Dice 0, docs/simulation-validity.md): each is reported (LD504 with LD503), the per-sample one after a rise to 0.39")
    func collapse() throws {
        for loss in [MultiClassLosses.perPixelDice, MultiClassLosses.pooledDice, MultiClassLosses.softDice] {
            let evidence = Simulation.evidence(for: loss, format: MultiClassLosses.format)
            let run = evidence.run
            #expect((run.final?.predictedForeground ?? 1) < TrainingRun.almostNothing, "\(loss.name): \(run.validationDice)")
            #expect(CollapseToBackgroundRule.isCollapsed(evidence), "\(loss.name): \(run.validationDice)")
            var withSimulation = LossCheck.check(loss, simulate: false).evidence
            withSimulation.simulation = evidence
            let codes = Set(RuleRegistry.check(withSimulation).map(\.code).filter { $0.hasPrefix("LD50") })
            #expect(codes == ["LD503", "LD504"], "\(loss.name): \(codes)")
        }
        // The pooled Dice never gets off the ground; the per-sample one peaks first, then drops every object class.
        let pooled = Simulation.evidence(for: MultiClassLosses.pooledDice, format: MultiClassLosses.format)
        #expect(pooled.run.points.allSatisfy { $0.predictedForeground < TrainingRun.almostNothing })
        let perSample = Simulation.evidence(for: MultiClassLosses.softDice, format: MultiClassLosses.format)
        #expect(perSample.run.validationDice.max()! > 0.3)
    }

    @Test("on the multi-class task a run is judged slow only when it falls from a peak of at least 0.5: a run that ends below 0.5 after learning one object class is not (real training of such losses goes either way), nor one that rises to 0.39 and falls; one that falls 0.3 from 0.72, far below the baseline, is (LD502) when it over-segments (accuracy below all-background's), not when it falls toward background")
    func multiClassSlowness() throws {
        let baseline = ReferenceRuns.multiClass.baseline
        func judged(_ dice: [Double], finalAccuracy: Double = 0.97) -> [String] {
            let points = dice.enumerated().map { step, d in
                TrainingPoint(step: step, trainLoss: Float(2 - d), validationLoss: Float(2 - d), dice: d, iou: d / 2,
                              accuracy: step == dice.count - 1 ? finalAccuracy : 0.97, predictedForeground: 0.02)
            }
            let run = TrainingRun(lossName: "x", format: MultiClassLosses.format, budget: baseline.budget, points: points,
                                  foregroundFraction: baseline.foregroundFraction, allBackgroundAccuracy: baseline.allBackgroundAccuracy,
                                  delivery: .healthy, firstNonFiniteStep: nil, failure: nil)
            var evidence = LossCheck.check(MultiClassLosses.crossEntropy, simulate: false).evidence
            evidence.simulation = SimulationEvidence(run: run, references: [baseline], baseline: baseline, diceTarget: Simulation.diceTarget)
            return RuleRegistry.check(evidence).map(\.code).filter { $0 == "LD502" }
        }
        let steps = baseline.budget.steps + 1
        // One class learned (0.4), never 0.5: binary would be slow, multi-class is not judged by it.
        let plateau: [Double] = (0..<steps).map { (step: Int) -> Double in Swift.min(0.4, Double(step) * 0.05) }
        #expect(judged(plateau).isEmpty)
        // Up to 0.72, down to 0.30: a fall of 0.42 from the peak, 0.4 below the baseline's final Dice.
        let fallCurve: [Double] = (0..<steps).map { (step: Int) -> Double in
            let x = Double(step)
            return step <= 12 ? x * 0.06 : Swift.max(0.3, 0.72 - (x - 12) * 0.03)
        }
        // Over-segmenting, as inverse-frequency class weights do for real (final accuracy 0.816, all-background 0.959).
        let fall = judged(fallCurve, finalAccuracy: baseline.allBackgroundAccuracy - 0.1)
        // Falling toward background (accuracy above all-background's): label-smoothed NLL's curve, which trains for real.
        #expect(judged(fallCurve, finalAccuracy: baseline.allBackgroundAccuracy + 0.003).isEmpty)
        // Up to 0.39 (one class), down to 0: the per-sample softmax Dice's curve, not judged.
        let riseAndFall: [Double] = (0..<steps).map { (step: Int) -> Double in
            step <= 13 ? Double(step) * 0.03 : Swift.max(0, 0.39 - Double(step - 13) * 0.03)
        }
        #expect(judged(riseAndFall).isEmpty)
        #expect(fall == ["LD502"], "\(baseline.validationDice)")
    }

    @Test("a multi-class loss with no gradient path stalls and is reported (LD501 with LD503): a stall needs no yardstick")
    func multiClassStall() {
        let argmaxDice = LossFunction(name: "argmax-dice", domain: .logits) { y, z in
            let hard = try z.argmax(axis: -1).oneHot(depth: 3)
            return try 1 - (2 * (y * hard).sum() + 1) / (y.sum() + hard.sum() + 1)
        }
        let evidence = Simulation.evidence(for: argmaxDice, format: MultiClassLosses.format)
        #expect(evidence.run.delivery == .missing && StalledTrainingRule.isStalled(evidence.run))
        var withSimulation = LossCheck.check(argmaxDice, simulate: false).evidence
        withSimulation.simulation = evidence
        let codes = Set(RuleRegistry.check(withSimulation).map(\.code).filter { $0.hasPrefix("LD50") })
        #expect(codes == ["LD501", "LD503"], "\(codes)")
    }

    @Test("a multi-class loss on probabilities gets softmax probabilities and a gradient (no one-channel softmax)")
    func probabilities() {
        let run = Simulation.train(MultiClassLosses.crossEntropyOnProbabilities, format: MultiClassLosses.format)
        #expect(run.delivery == .healthy)
        #expect(!StalledTrainingRule.isStalled(run))
        #expect(run.stepsToDice(Simulation.diceTarget) != nil, "\(run.validationDice)")
    }

    @Test("the baseline is the yardstick of its task: Dice + BCE for binary, cross-entropy + Dice for multi-class")
    func baselines() throws {
        let binary = Simulation.evidence(for: try #require(ReferenceLosses.named("bce")).function)
        #expect(binary.baseline.lossName == "dice-bce" && binary.references.count == ReferenceLosses.healthy.count)
        let multi = Simulation.evidence(for: MultiClassLosses.softDice, format: .oneHot(classes: 3))
        #expect(multi.baseline.lossName == "ce-dice" && multi.run.format == .oneHot(classes: 3))
    }

    @Test("cross-entropy trains like the baseline: no training finding")
    func crossEntropyIsQuiet() {
        var evidence = LossCheck.check(MultiClassLosses.crossEntropy).evidence
        evidence.simulation = Simulation.evidence(for: MultiClassLosses.crossEntropy, format: MultiClassLosses.format)
        let codes = RuleRegistry.check(evidence).map(\.code).filter { $0.hasPrefix("LD50") }
        #expect(codes.isEmpty, "\(codes)")
    }

    @Test("multi-class metrics: arg max per pixel, Dice averaged over the object classes, predicted foreground counted")
    func metrics() {
        // Four pixels, three classes: labels 0, 1, 2, 2; predictions 0, 1, 1, 2 (channels-last logits).
        let logits: [Float] = [5, 0, 0, 0, 5, 0, 0, 5, 0, 0, 0, 5]
        let m = Metrics(logits: logits, labels: [0, 1, 2, 2], classes: 3)
        // Class 1: tp 1, fp 1 -> 2/3; class 2: tp 1, fn 1 -> 2/3.
        #expect(Swift.abs(m.dice - 2.0 / 3) < 1e-12 && Swift.abs(m.iou - 0.5) < 1e-12)
        #expect(m.accuracy == 0.75 && m.predictedForeground == 0.75)
        let nothing = Metrics(logits: [Float](repeating: 0, count: 12).enumerated().map { $0.offset % 3 == 0 ? 1 : 0 }, labels: [0, 1, 2, 2], classes: 3)
        #expect(nothing.dice == 0 && nothing.predictedForeground == 0 && nothing.accuracy == 0.25)
    }

    @Test("allBackgroundSince is the first step of the final all-background stretch")
    func allBackgroundSince() throws {
        func run(_ foreground: [Double]) -> TrainingRun {
            let points = foreground.enumerated().map { step, f in
                TrainingPoint(step: step, trainLoss: 1, validationLoss: Float(10 - step), dice: f > 0 ? 0.5 : 0, iou: 0, accuracy: 0.9, predictedForeground: f)
            }
            return TrainingRun(lossName: "x", format: .binary, budget: TrainingBudget(), points: points, foregroundFraction: 0.1,
                               allBackgroundAccuracy: 0.9, delivery: .healthy, firstNonFiniteStep: nil, failure: nil)
        }
        #expect(run([0, 0.1, 0.2, 0, 0]).allBackgroundSince == 3)
        #expect(run([0, 0, 0]).allBackgroundSince == 0)
        #expect(run([0, 0, 0.1]).allBackgroundSince == nil)
        #expect(run([0.1, 0.0005, 0]).allBackgroundSince == 1)
    }
}
