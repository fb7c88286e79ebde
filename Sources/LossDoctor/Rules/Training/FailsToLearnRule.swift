extension RuleDescription {
    static let failsToLearn = RuleDescription(
        code: "LD505", name: "fails-to-learn", severity: .error,
        summary: "Flags a loss under which the simulated model ends with almost no overlap with the target (validation Dice under 0.1) while still predicting foreground, and the baseline loss learns the task.",
        rationale: """
            A loss can move the model steadily and still move it the wrong way: a Dice or IoU coefficient \
            returned without its `1 -` is minimised by putting the foreground where the target is not. The \
            model changes, the loss goes down, nothing crashes, and the validation Dice sits near 0. Real \
            training of such losses ends the same way (Scripts/validate-simulation.py classifies a final Dice \
            under 0.1 as "cannot train").
            """,
        detection: """
            In the simulated run (see LD501), the final validation Dice (threshold 0.5, or the arg max of the \
            classes) is under \(Phrase.number(FailsToLearnRule.diceFloor)), the model still predicts foreground (otherwise it is LD504), \
            the run is not stalled (LD501), and the baseline of the same task (Dice + BCE for the binary task, \
            cross-entropy + Dice for the multi-class one), trained the same way, reaches validation Dice 0.5.
            """,
        fix: "Return a quantity that is smallest when the prediction equals the target (`1 - dice`, not `dice`), or fix what the other findings point at; then check it again.",
        example: "return (2 * K.sum(y_true * y_pred) + 1) / (K.sum(y_true) + K.sum(y_pred) + 1)",
        useInstead: "return 1 - (2 * K.sum(y_true * y_pred) + 1) / (K.sum(y_true) + K.sum(y_pred) + 1)",
        triggeringLosses: ["dice-coef"], passingLosses: ["soft-dice", "dice-bce", "dice-floor"]
    )
}

/// LD505: the simulated run moves, predicts foreground, and ends with almost no overlap with the target.
struct FailsToLearnRule: Rule {
    var reads: RuleInput { .simulation }
    /// A final validation Dice under this is no segmentation: the real-training side of
    /// Scripts/validate-simulation.py calls such a run "cannot train" with the same bound.
    static let diceFloor = 0.1

    var description: RuleDescription { .failsToLearn }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let simulation = evidence.judgedSimulation, Self.fails(simulation), let last = simulation.run.final else { return [] }
        let run = simulation.run
        let best = run.points.max { $0.dice < $1.dice }!
        var notes = [Phrase.baselineSummary(simulation)]
        if best.dice > last.dice + Self.diceFloor {
            notes.insert("it reached \(Phrase.number(best.dice)) at step \(best.step), then lost it: the loss pulls the model away from the target", at: 0)
        }
        notes.append("validation accuracy ends at \(Phrase.number(last.accuracy)); a model that predicts nothing scores \(Phrase.number(run.allBackgroundAccuracy))")
        return [finding(
            "the simulated model ends with validation Dice \(Phrase.number(last.dice)) after \(run.budget.steps) steps while predicting \(formatNumber(last.predictedForeground * 100, significant: 3)) % of the pixels as foreground: it learns something other than the target",
            notes: notes, probe: .simulation,
            numbers: ["final_dice": last.dice, "predicted_foreground": last.predictedForeground,
                      "best_dice": best.dice, "baseline_dice": simulation.baselineDice])]
    }

    /// Whether the run ends under the Dice floor with foreground predicted, moving, while the baseline learns.
    static func fails(_ simulation: SimulationEvidence) -> Bool {
        let run = simulation.run
        guard let last = run.final, last.dice < diceFloor, run.foregroundFraction > 0,
              !StalledTrainingRule.isStalled(run), !CollapseToBackgroundRule.isCollapsed(simulation),
              simulation.baseline.stepsToDice(simulation.diceTarget) != nil else { return false }
        return true
    }
}
