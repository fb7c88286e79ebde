extension RuleDescription {
    static let stalledTraining = RuleDescription(
        code: "LD501", name: "stalled-training", severity: .error,
        summary: "Flags a loss under which a short simulated training run makes no progress: the validation loss stays constant and the Dice does not move.",
        rationale: """
            A loss whose gradient is missing or zero lets the model sit where it was initialised, and nothing \
            fails: Keras prints the same `val_loss` every epoch (the seed's `val_loss: 0.9218` for 50 epochs of \
            115 s each) while the accuracy stays at the background fraction. The simulation shows it in milliseconds, \
            before any real training.
            """,
        detection: """
            The simulation: \(Simulation.setup). Stalled: every validation loss is finite and within \(Phrase.power(StalledTrainingRule.lossTolerance)) \
            (relative, at least absolute) of the first, and the validation Dice (threshold 0.5) moves by less than \
            \(Phrase.number(StalledTrainingRule.diceTolerance)). The healthy references, trained identically, are quoted for comparison.
            """,
        fix: "Make the loss differentiable in the prediction (true division, no rounding, thresholds or detached tensors), then check it again.",
        example: "return 1 - (2 * intersection + 1) // (K.sum(y_true_f) + K.sum(y_pred_f) + 1)",
        useInstead: "return 1 - (2 * intersection + 1) / (K.sum(y_true_f) + K.sum(y_pred_f) + 1)",
        triggeringLosses: ["dice-floor", "dice-round", "dice-detach"], passingLosses: ["soft-dice", "bce", "dice-coef"]
    )
}

/// LD501: the simulated training run makes no progress.
struct StalledTrainingRule: Rule {
    var reads: RuleInput { .simulation }
    /// Largest change of the validation loss, relative to its first value (at least 1), that counts as constant.
    static let lossTolerance = 1e-4
    /// Largest change of the validation Dice that counts as unchanged.
    static let diceTolerance = 0.01

    var description: RuleDescription { .stalledTraining }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let simulation = evidence.judgedSimulation, Self.isStalled(simulation.run),
              let first = simulation.run.initial, let last = simulation.run.final else { return [] }
        let run = simulation.run
        var notes: [String] = []
        switch run.delivery {
        case .missing: notes.append("no gradient reaches the model's parameters: there is no differentiable path from them to the loss, so no update ever happens")
        case .zero: notes.append("the gradient reaching the model's parameters is exactly zero: Adam's updates are all zero")
        case .nonFinite, .healthy: notes.append("the updates leave the validation loss and Dice where they started")
        }
        notes.append("validation accuracy stays at \(Phrase.number(last.accuracy)); a model that predicts nothing scores \(Phrase.number(run.allBackgroundAccuracy)) on these masks")
        notes.append(Phrase.referenceSummary(simulation))
        return [finding(
            "validation loss stays at \(Phrase.number(first.validationLoss)) for all \(run.budget.steps) steps of the simulated run and validation Dice at \(Phrase.number(last.dice)): training makes no progress",
            notes: notes, probe: .simulation,
            numbers: ["validation_loss": Double(first.validationLoss), "validation_dice": last.dice, "steps": Double(run.budget.steps)])]
    }


    /// Whether a run's validation loss is constant and its Dice unchanged.
    static func isStalled(_ run: TrainingRun) -> Bool {
        guard let first = run.initial, run.points.count > 1 else { return false }
        let tolerance = lossTolerance * Swift.max(1, Double(Swift.abs(first.validationLoss)))
        return run.points.allSatisfy {
            $0.validationLoss.isFinite && Swift.abs(Double($0.validationLoss - first.validationLoss)) <= tolerance
                && Swift.abs($0.dice - first.dice) < diceTolerance
        }
    }
}

extension Phrase {
    /// "the references (bce, soft-dice, ...) reach validation Dice 0.5 in a median of 7 steps and end at 0.84"
    static func referenceSummary(_ simulation: SimulationEvidence) -> String {
        let target = number(simulation.diceTarget)
        guard simulation.references.count > 1 else { return baselineSummary(simulation) }
        return "the \(simulation.references.count) healthy references, trained the same way, reach validation Dice \(target) in a median of \(number(simulation.referenceMedianSteps)) steps and end at a median of \(number(simulation.referenceMedianDice))"
    }

    /// "the baseline dice-bce, trained the same way, reaches validation Dice 0.5 at step 6 and ends at 0.81"
    static func baselineSummary(_ simulation: SimulationEvidence) -> String {
        let reached = simulation.baseline.stepsToDice(simulation.diceTarget).map { "reaches validation Dice \(number(simulation.diceTarget)) at step \($0)" }
            ?? "never reaches validation Dice \(number(simulation.diceTarget))"
        return "the baseline \(simulation.baseline.lossName), trained the same way, \(reached) and ends at \(number(simulation.baselineDice))"
    }
}
