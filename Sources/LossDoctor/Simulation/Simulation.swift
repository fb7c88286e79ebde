/// Simulated training: a short run of a tiny model on a synthetic task, for the loss under examination
/// and for the healthy reference losses on the same task, seed and budget.
enum Simulation {
    /// The binary task: one channel of foreground.
    static let standardTask = SegmentationTask()
    /// The multi-class task: background plus two object classes (C = 3), some images empty.
    static let standardMultiClassTask: SegmentationTask = {
        var configuration = SegmentationTask.Configuration()
        configuration.objectClasses = 2
        return SegmentationTask(configuration)
    }()
    /// The budget every check trains with.
    static let standardBudget = TrainingBudget()
    /// The validation Dice a run must reach to count as having learned the task.
    static let diceTarget = 0.5

    /// The task a loss with this target format trains on: binary for one channel, otherwise the
    /// multi-class task with the format's number of classes (3 is the standard one).
    static func task(for format: TargetFormat) -> SegmentationTask {
        switch format.classes {
        case ...1: return standardTask
        case 3: return standardMultiClassTask
        case let classes:
            var configuration = SegmentationTask.Configuration()
            configuration.objectClasses = Swift.min(classes - 1, 8)
            return SegmentationTask(configuration)
        }
    }

    /// The setup in one sentence, for rule descriptions and reports.
    static var setup: String {
        let c = standardTask.configuration
        let percent = { (split: SegmentationTask.Split) in formatNumber(split.foregroundFraction * 100, significant: 3) + " %" }
        return "a 3x3 convolution with bias (10 parameters per output channel) trained by full-batch Adam (learning rate \(formatNumber(standardBudget.learningRate))) "
            + "for \(standardBudget.steps) steps on \(c.trainImages) synthetic \(c.height)x\(c.width) images of blobs of varied size on a noisy "
            + "background (some tiny, \(standardTask.train.emptyImages) empty; \(percent(standardTask.train)) foreground), "
            + "evaluated after every step on \(c.validationImages) more (\(percent(standardTask.validation)) foreground); "
            + "a multi-class loss trains on the same kind of images with background and two object classes (bright and dark blobs), "
            + "one output channel per class"
    }

    /// Trains several losses, one after the other.
    static func train(_ losses: [LossFunction], format: TargetFormat = .binary) -> [TrainingRun] {
        losses.map { train($0, format: format) }
    }

    /// Trains `loss` on the task of `format` and pairs its run with the references of that task.
    static func evidence(for loss: LossFunction, format: TargetFormat = .binary) -> SimulationEvidence {
        let references = ReferenceRuns.runs(for: format)
        return SimulationEvidence(run: train(loss, format: format), references: references.all,
                                  baseline: references.baseline, diceTarget: diceTarget)
    }
}

/// What simulated training observed: the loss's run next to the references' runs.
struct SimulationEvidence: Sendable {
    let run: TrainingRun
    /// The healthy references, trained on the same task, seed and budget.
    let references: [TrainingRun]
    /// The healthy loss of the same family and task that speed and quality are measured against:
    /// Dice + BCE for the binary task, cross-entropy + Dice for the multi-class one.
    let baseline: TrainingRun
    /// The validation Dice that counts as having learned the task.
    let diceTarget: Double

    /// The steps the baseline needs to reach the Dice target (the budget plus one when it never does).
    var baselineSteps: Double { Double(baseline.stepsToDice(diceTarget) ?? baseline.budget.steps + 1) }

    /// The baseline's final validation Dice.
    var baselineDice: Double { baseline.final?.dice ?? .nan }

    /// The median over the references of the steps to reach the Dice target (those that never reach it
    /// count as the budget plus one).
    var referenceMedianSteps: Double {
        median(references.map { Double($0.stepsToDice(diceTarget) ?? $0.budget.steps + 1) })
    }

    /// The median over the references of the final validation Dice.
    var referenceMedianDice: Double { median(references.compactMap { $0.final?.dice }) }

    private func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
