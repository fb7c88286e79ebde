extension RuleDescription {
    static let misleadingAccuracy = RuleDescription(
        code: "LD503", name: "misleading-accuracy", severity: .info,
        summary: "Reports that the simulated run's validation accuracy looks high only because an all-background model already scores the background fraction, while its Dice stays low.",
        rationale: """
            On masks with a few percent foreground, pixel accuracy starts at the background fraction for a model \
            that predicts nothing: the seed's `accuracy: 0.9862` for 50 epochs was exactly that, and looked \
            healthy. Dice and IoU start at 0 for the same model.
            """,
        detection: "In the simulated run (see LD501), the final validation accuracy is at least the all-background model's accuracy minus \(Phrase.number(MisleadingAccuracyRule.margin)), while the final validation Dice is below 0.5; on the multi-class task, only when the run is stalled (LD501) or collapsed (LD504).",
        fix: "Monitor Dice or IoU on the validation set (e.g. a Dice metric in `metrics=`), not accuracy.",
        example: "model.compile(loss=dice_coef_loss, metrics=['accuracy'])",
        useInstead: "model.compile(loss=dice_coef_loss, metrics=[dice_coef, keras.metrics.BinaryIoU(target_class_ids=[1])])",
        triggeringLosses: ["dice-floor", "double-sigmoid"], passingLosses: ["soft-dice", "bce", "dice-coef"]
    )
}

/// LD503: on the task's masks, accuracy cannot tell this run from a model that predicts nothing.
struct MisleadingAccuracyRule: Rule {
    var reads: RuleInput { .simulation }
    /// Accuracy within this much of the all-background model's counts as "as good as predicting nothing".
    static let margin = 0.01

    var description: RuleDescription { .misleadingAccuracy }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let simulation = evidence.judgedSimulation, let last = simulation.run.final else { return [] }
        // On the multi-class task a Dice under 0.5 after 30 steps is often one class learned of two (the
        // per-sample CE + Dice built-in ends at 0.42): only a model that predicts nothing is reported.
        if simulation.run.format.isMultiClass,
           !StalledTrainingRule.isStalled(simulation.run), !CollapseToBackgroundRule.isCollapsed(simulation) { return [] }
        let run = simulation.run
        guard last.accuracy >= run.allBackgroundAccuracy - Self.margin, last.dice < simulation.diceTarget else { return [] }
        return [finding(
            "validation accuracy is \(Phrase.number(last.accuracy)) while validation Dice is \(Phrase.number(last.dice)): a model that predicts nothing already scores \(Phrase.number(run.allBackgroundAccuracy)) on these masks (\(formatNumber(run.foregroundFraction * 100, significant: 3)) % foreground)",
            notes: ["IoU \(Phrase.number(last.iou)); the healthy references end at a median Dice of \(Phrase.number(simulation.referenceMedianDice))"],
            probe: .simulation,
            numbers: ["accuracy": last.accuracy, "all_background_accuracy": run.allBackgroundAccuracy, "dice": last.dice])]
    }
}
