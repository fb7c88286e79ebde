extension RuleDescription {
    static let slowTraining = RuleDescription(
        code: "LD502", name: "slow-training", severity: .warning,
        summary: "Flags a loss under which the simulated training run reaches the Dice target far slower than a healthy baseline of the same task, never reaches it, or ends far below it.",
        rationale: """
            A loss can have a gradient and still steer the model badly: toward predicting nothing on imbalanced \
            masks, toward the opposite of the target, or so weakly that it needs many more epochs. On a real \
            dataset that costs days before anyone looks at the metric. The same task, seed and budget with a \
            healthy loss of the same family gives the yardstick (not a median over unrelated losses, which \
            includes slow ones).
            """,
        detection: """
            The simulated run (see LD501) is compared with the baseline's run: Dice + BCE for the binary task, \
            cross-entropy + Dice for the multi-class one. On the binary task, slow when the validation Dice \
            (threshold 0.5) never reaches 0.5 within the \(Simulation.standardBudget.steps) steps while the baseline's does, when it \
            reaches 0.5 after more than \(Phrase.number(SlowTrainingRule.stepsFactor)) times the baseline's number of steps, or when its best Dice is more \
            than \(Phrase.number(SlowTrainingRule.peakGap)) below the baseline's best. On either task (the multi-class Dice is the arg max's, averaged over the \
            object classes), when its final Dice is more than \(Phrase.number(SlowTrainingRule.diceGap)) below the baseline's final Dice after falling more \
            than \(Phrase.number(SlowTrainingRule.fallFromPeak)) from its own peak, a peak of at least 0.5 on the multi-class task (a smaller late fall is the tiny model's, not the loss's); \
            on the multi-class task the fall must also over-segment, the final accuracy below that of predicting \
            nothing (a fall toward background is the linear model dropping a class). Not reported when the run is \
            stalled (LD501), collapses to background (LD504) or fails to learn (LD505).
            """,
        fix: "Use a loss whose simulated run keeps up with the references (soft Dice, BCE, or their sum), or fix what the other findings point at.",
        example: "return K.mean(K.binary_crossentropy(y_pred, y_true))  # arguments swapped",
        useInstead: "return K.mean(K.binary_crossentropy(y_true, y_pred))",
        triggeringLosses: ["dice-large-smooth", "bce-sign-error"], passingLosses: ["soft-dice", "bce", "dice-floor"]
    )
}

/// LD502: the simulated run trains, but far slower than the baseline of its task, or ends far below it.
struct SlowTrainingRule: Rule {
    var reads: RuleInput { .simulation }
    /// Steps to the Dice target beyond this multiple of the baseline's are slow.
    static let stepsFactor = 2.0
    /// A final Dice this far below the baseline's is far below...
    static let diceGap = 0.2
    /// ...when the run also fell this far from its own peak: the loss pulls the model away from the target.
    /// A smaller late fall is the tiny model's, not the loss's: the 10-parameter filter cannot hold the calibrated
    /// optimum of a pixel-wise loss, so BCE falls 0.05 from its peak, focal 0.07, weighted BCE 0.16 and
    /// label-smoothed BCE 0.24, while a real U-Net keeps its Dice (label-smoothed BCE ends at 0.837, the baseline
    /// at 0.827: docs/simulation-validity.md); the sign-flipped BCE falls 0.54 and a NaN-poisoned CE 0.30.
    static let fallFromPeak = 0.3
    /// A best Dice this far below the baseline's best: the loss cannot steer the model as far (the healthy
    /// references peak within 0.02 of the baseline; Dice with smooth 100 peaks 0.13 below).
    static let peakGap = 0.1

    /// Whether the run is judged by how far and how fast it gets, or only by a fall from its peak. On the
    /// multi-class task the linear model learns one object class first and the second one late, and whether a
    /// loss gets there within the budget does not predict real training: cross-entropy + a foreground Dice per
    /// sample never reaches 0.5 in the simulation and trains for real in PyTorch (0.828) while the same loss is
    /// slow for real in Keras; label-smoothed, class-weighted CE (4 classes) ends at 0.48 and trains for real
    /// (0.790); an online-hard-example CE peaks at 0.68 against the baseline's 0.79 and trains for real (0.838)
    /// (docs/simulation-validity.md). A fall from the peak is the loss's on either task, once the multi-class
    /// run has reached the Dice target (both classes learned): before, the per-sample softmax Dice (MONAI's
    /// `DiceLoss(softmax=True)`) rises to 0.39 and falls to nothing within the budget.
    static func judgesProgress(_ run: TrainingRun) -> Bool { !run.format.isMultiClass }

    /// Whether a multi-class run's fall from its peak is the loss's: it over-segments, its final accuracy below
    /// what predicting nothing scores, as inverse-frequency class weights do for real (real Dice 0.382, 14 % of
    /// pixels predicted foreground). A fall toward background is the linear model giving up a class it learned:
    /// label-smoothed NLL falls from 0.65 to 0.12 in the simulation, accuracy staying above all-background, and
    /// trains for real (PyTorch 2.15 U-Net: Dice 0.814, `torch_label_smoothed_nll_lprobs.py`).
    static func fallsByOverSegmenting(_ run: TrainingRun, final: TrainingPoint) -> Bool {
        !run.format.isMultiClass || final.accuracy < run.allBackgroundAccuracy
    }

    var description: RuleDescription { .slowTraining }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let simulation = evidence.judgedSimulation, !simulation.references.isEmpty,
              !StalledTrainingRule.isStalled(simulation.run),
              !CollapseToBackgroundRule.isCollapsed(simulation), !FailsToLearnRule.fails(simulation), let last = simulation.run.final else { return [] }
        let run = simulation.run
        let target = simulation.diceTarget
        let referenceSteps = simulation.baselineSteps
        let referenceDice = simulation.baselineDice
        let baseline = simulation.baseline.lossName
        let steps = run.stepsToDice(target)
        let best = run.points.max { $0.dice < $1.dice }!
        var notes = [Phrase.baselineSummary(simulation)]
        if let step = run.firstNonFiniteStep {
            notes.append("the loss or its gradient turned NaN or infinite at step \(step): the model's parameters are NaN from then on")
        }
        let message: String
        let progress = Self.judgesProgress(run)
        if progress, steps == nil && referenceSteps <= Double(run.budget.steps) {
            message = "validation Dice never reaches \(Phrase.number(target)) in the \(run.budget.steps) steps of the simulated run while \(baseline) reaches it at step \(Phrase.number(referenceSteps)) (best \(Phrase.number(best.dice)), final \(Phrase.number(last.dice)))"
        } else if progress, let steps, Double(steps) > Self.stepsFactor * referenceSteps {
            message = "validation Dice reaches \(Phrase.number(target)) only after \(steps) steps of the simulated run, \(formatNumber(Double(steps) / referenceSteps, significant: 3)) times the \(Phrase.number(referenceSteps)) steps of \(baseline)"
        } else if last.dice < referenceDice - Self.diceGap, best.dice > last.dice + Self.fallFromPeak,
                  progress || best.dice >= target, Self.fallsByOverSegmenting(run, final: last) {
            message = "validation Dice ends at \(Phrase.number(last.dice)) after \(run.budget.steps) steps of the simulated run, far below the \(Phrase.number(referenceDice)) of \(baseline)"
            notes.insert("it peaked at \(Phrase.number(best.dice)) at step \(best.step), then fell: the loss pulls the model away from the target", at: 0)
        } else if progress, let baselineBest = simulation.baseline.points.map(\.dice).max(),
                  best.dice < baselineBest - Self.peakGap {
            message = "validation Dice peaks at \(Phrase.number(best.dice)) (step \(best.step)) in the \(run.budget.steps) steps of the simulated run, far below the \(Phrase.number(baselineBest)) of \(baseline): the loss cannot steer the model as far"
        } else {
            return []
        }
        notes.append("validation accuracy ends at \(Phrase.number(last.accuracy)); a model that predicts nothing scores \(Phrase.number(run.allBackgroundAccuracy))")
        return [finding(message, notes: notes, probe: .simulation,
                        numbers: ["final_dice": last.dice, "steps_to_dice": steps.map(Double.init) ?? -1,
                                  "baseline_steps": referenceSteps, "baseline_dice": referenceDice,
                                  "reference_median_steps": simulation.referenceMedianSteps,
                                  "reference_median_dice": simulation.referenceMedianDice])]
    }
}
