extension RuleDescription {
    static let collapseToBackground = RuleDescription(
        code: "LD504", name: "collapse-to-background", severity: .error,
        summary: "Flags a loss under which the simulated model ends up predicting background everywhere and stays there, while accuracy looks high and the baseline loss learns the task.",
        rationale: """
            A loss that rewards the background more than it penalises missed objects drives a real model to \
            predict nothing, often within the first 20 steps: a Dice computed per pixel (reduced over the \
            channel axis), a multi-class Dice pooled over the classes with the background, or a sign error on \
            the object term. Accuracy then equals the background fraction (0.97 or more on real masks) and \
            looks healthy, the validation loss even goes down, and the model never segments anything.
            """,
        detection: """
            In the simulated run (see LD501), the validation prediction (threshold 0.5, or the arg max of the \
            classes) holds foreground on fewer than \(Phrase.percent(TrainingRun.almostNothing)) of the pixels at the final step and at every evaluation \
            of the last tenth of the run (\(Int(CollapseToBackgroundRule.settledFraction * Double(Simulation.standardBudget.steps))) of the \(Simulation.standardBudget.steps) steps), the run is not stalled (LD501), and the baseline of the same task (Dice + BCE for the binary \
            task, cross-entropy + Dice for the multi-class one), trained the same way, reaches validation Dice 0.5.
            """,
        fix: "Reduce the Dice over the spatial axes (per sample and class), exclude or down-weight the background class, or add a cross-entropy term; then check it again.",
        example: "return 1 - (2 * K.sum(y_true * y_pred, axis=-1) + 1) / (K.sum(y_true, axis=-1) + K.sum(y_pred, axis=-1) + 1)",
        useInstead: "return 1 - (2 * K.sum(y_true * y_pred, axis=(1, 2)) + 1) / (K.sum(y_true, axis=(1, 2)) + K.sum(y_pred, axis=(1, 2)) + 1)",
        triggeringLosses: ["dice-channel-axis", "bce-swapped", "double-sigmoid"], passingLosses: ["soft-dice", "dice-bce", "dice-floor"]
    )
}

/// LD504: the simulated run ends predicting background everywhere and stays there, while the baseline learns.
struct CollapseToBackgroundRule: Rule {
    var reads: RuleInput { .simulation }
    /// The run must predict nothing for at least this fraction of its steps, at the end, to count as staying
    /// there (3 evaluations of a 30-step run): a multi-class Dice per sample and class rises to 0.39 in the simulation and falls to
    /// nothing in the last 3 steps; real training (Scripts/validate-simulation.py) ends all background with it.
    static let settledFraction = 0.1

    var description: RuleDescription { .collapseToBackground }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let simulation = evidence.judgedSimulation, Self.isCollapsed(simulation),
              let last = simulation.run.final, let since = simulation.run.allBackgroundSince else { return [] }
        let run = simulation.run
        let peak = run.points.max { $0.predictedForeground < $1.predictedForeground }!
        var notes: [String] = []
        if peak.predictedForeground >= TrainingRun.almostNothing {
            notes.append("it predicted \(formatNumber(peak.predictedForeground * 100, significant: 3)) % of the pixels as foreground at step \(peak.step) (validation Dice \(Phrase.number(run.points[peak.step].dice))), then dropped them")
        } else {
            notes.append("it never predicts a foreground pixel: the loss pulls the untrained model, which predicts background, further toward background")
        }
        notes.append("the baseline \(simulation.baseline.lossName), trained the same way, reaches validation Dice \(Phrase.number(simulation.diceTarget)) at step \(Phrase.number(simulation.baselineSteps)) and ends at \(Phrase.number(simulation.baselineDice))")
        return [finding(
            "the simulated model predicts background (almost) everywhere from step \(since) to the end of its \(run.budget.steps) steps: validation accuracy \(Phrase.number(last.accuracy)) looks high only because a model that predicts nothing scores \(Phrase.number(run.allBackgroundAccuracy)) (\(formatNumber(run.foregroundFraction * 100, significant: 3)) % foreground), validation Dice \(Phrase.number(last.dice))",
            notes: notes, probe: .simulation,
            numbers: ["all_background_since": Double(since), "accuracy": last.accuracy, "all_background_accuracy": run.allBackgroundAccuracy,
                      "dice": last.dice, "peak_predicted_foreground": peak.predictedForeground, "baseline_dice": simulation.baselineDice])]
    }

    /// Whether the run ends and stays all background, moving while it does, while the baseline learns. On the
    /// multi-class task too: a Dice per sample and class with the background (MONAI's `DiceLoss(softmax=True)`)
    /// rises to 0.39 and falls to nothing in the last steps, and real training of it, and of every multi-class
    /// Dice without cross-entropy whose simulated run ends so, ends all background on this task
    /// (docs/simulation-validity.md).
    static func isCollapsed(_ simulation: SimulationEvidence) -> Bool {
        let run = simulation.run
        guard let since = run.allBackgroundSince, run.foregroundFraction > 0, !StalledTrainingRule.isStalled(run),
              simulation.baseline.stepsToDice(simulation.diceTarget) != nil else { return false }
        // Evaluations from `since` through the last step, both included.
        return Double(run.budget.steps - since + 1) >= Swift.max(2, settledFraction * Double(run.budget.steps))
    }
}
