/// The references' simulated runs: deterministic, so each task's are trained once per process and shared
/// by every check. This is the one place they are computed (a cache of precomputed runs plugs in here).
enum ReferenceRuns {
    /// The runs a loss's run is compared with: every healthy reference of its task, and among them the
    /// baseline of the same family.
    struct Group: Sendable {
        let all: [TrainingRun]
        let baseline: TrainingRun
    }

    /// The binary task's references: the healthy built-ins; the baseline is Dice + BCE.
    /// They come from the table compiled in (ReferenceRunTable.swift), trained here only if it is out of date.
    static let binary: Group = {
        let references = ReferenceLosses.healthy.map(\.function)
        let runs = ReferenceRunTable.standard.trainingRuns(
            names: references.map(\.name), task: Simulation.standardTask, budget: Simulation.standardBudget)
            ?? Simulation.train(references)
        return Group(all: runs, baseline: runs.first { $0.lossName == binaryBaselineName }!)
    }()

    /// The standard multi-class task's reference (C = 3): cross-entropy + soft Dice on logits, one-hot.
    static let multiClass: Group = train(classes: Simulation.standardMultiClassTask.classes)

    /// The binary baseline's built-in name.
    static let binaryBaselineName = "dice-bce"

    /// The references of the task a format trains on. The multi-class references do not depend on how
    /// the loss takes its target (one-hot or class index): the task is the same.
    static func runs(for format: TargetFormat) -> Group {
        switch format {
        case .binary, .binaryWithoutChannel: binary
        case _ where format.classes == Simulation.standardMultiClassTask.classes: multiClass
        default: train(classes: format.classes)
        }
    }

    private static func train(classes: Int) -> Group {
        let run = Simulation.train(crossEntropyDice, format: .oneHot(classes: classes))
        return Group(all: [run], baseline: run)
    }

    /// The multi-class baseline: softmax cross-entropy plus soft Dice per class pooled over the batch
    /// (smooth 1, background included), on channels-last logits and one-hot targets: smp's
    /// `DiceLoss(mode="multiclass")` plus `CrossEntropyLoss`. A Dice per sample and class trains worse in
    /// the simulation (it rises to 0.4 and then falls as empty images pull every object class down).
    static let crossEntropyDice = LossFunction(name: "ce-dice", domain: .logits) { y, z in
        let crossEntropy = try (-(y * z.logSoftmax(axis: -1)).sum(axes: [3])).mean()
        let p = try z.softmax(axis: -1)
        let axes = [0, 1, 2]
        let dice = try (2 * (y * p).sum(axes: axes) + 1) / (y.sum(axes: axes) + p.sum(axes: axes) + 1)
        return try crossEntropy + (1 - dice).mean()
    }
}

extension Simulation {
    /// The binary references' runs (the healthy built-ins).
    static var referenceRuns: [TrainingRun] { ReferenceRuns.binary.all }

    /// The run of a binary reference by name, from the cache.
    static func referenceRun(_ name: String) -> TrainingRun? { referenceRuns.first { $0.lossName == name } }
}
