/// Simulated training: a short run of a tiny model on a synthetic task, for the loss under examination
/// and for the healthy reference losses on the same task, seed and budget.
public enum Simulation {
    /// The task every check trains on.
    public static let standardTask = SegmentationTask()
    /// The budget every check trains with.
    public static let standardBudget = TrainingBudget()
    /// The validation Dice a run must reach to count as having learned the task.
    public static let diceTarget = 0.5

    /// The setup in one sentence, for rule descriptions and reports.
    public static var setup: String {
        let c = standardTask.configuration
        let percent = { (split: SegmentationTask.Split) in formatNumber(split.foregroundFraction * 100, significant: 3) + " %" }
        return "a 3x3 convolution with bias (10 parameters) trained by full-batch Adam (learning rate \(formatNumber(standardBudget.learningRate))) "
            + "for \(standardBudget.steps) steps on \(c.trainImages) synthetic \(c.height)x\(c.width) images of blobs of varied size on a noisy "
            + "background (some tiny, \(standardTask.train.emptyImages) empty; \(percent(standardTask.train)) foreground), "
            + "evaluated after every step on \(c.validationImages) more (\(percent(standardTask.validation)) foreground)"
    }

    /// The healthy reference losses' runs: they are the same for every check, so they come from the table
    /// compiled in (ReferenceRunTable.swift), and are trained once per process only if it is out of date.
    public static let referenceRuns: [TrainingRun] = {
        let references = ReferenceLosses.healthy.map(\.function)
        return ReferenceRunTable.standard.trainingRuns(names: references.map(\.name), task: standardTask, budget: standardBudget)
            ?? train(references)
    }()

    /// Trains several losses, one after the other.
    public static func train(_ losses: [LossFunction]) -> [TrainingRun] { losses.map { train($0) } }

    /// The run of a reference by name, from the cache.
    public static func referenceRun(_ name: String) -> TrainingRun? { referenceRuns.first { $0.lossName == name } }

    /// Trains `loss` and pairs its run with the reference runs.
    public static func evidence(for loss: LossFunction) -> SimulationEvidence {
        SimulationEvidence(run: train(loss), references: referenceRuns, diceTarget: diceTarget)
    }
}

/// What simulated training observed: the loss's run next to the references' runs.
public struct SimulationEvidence: Sendable {
    public let run: TrainingRun
    /// The healthy references, trained on the same task, seed and budget.
    public let references: [TrainingRun]
    /// The validation Dice that counts as having learned the task.
    public let diceTarget: Double

    /// The median over the references of the steps to reach the Dice target (those that never reach it
    /// count as the budget plus one).
    public var referenceMedianSteps: Double {
        median(references.map { Double($0.stepsToDice(diceTarget) ?? $0.budget.steps + 1) })
    }

    /// The median over the references of the final validation Dice.
    public var referenceMedianDice: Double { median(references.compactMap { $0.final?.dice }) }

    private func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}

