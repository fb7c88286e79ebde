extension RuleDescription {
    static let batchDependentScale = RuleDescription(
        code: "LD401", name: "batch-dependent-scale", severity: .warning,
        summary: "Flags a loss whose value or gradient scale changes when the same samples are repeated to double the batch (sum reduction).",
        rationale: "The effective learning rate becomes proportional to the batch size: a learning rate tuned at batch 8 explodes at batch 64, and the last, smaller batch of an epoch gets a different step.",
        detection: "On imbalanced/random, the batch is repeated twice: the loss value, or the gradient mass (sum of |dL/dp|, what a shared parameter receives), changes by more than \(Phrase.percent(BatchDependentScaleRule.tolerance)).",
        fix: "Average over the batch (and pixels) instead of summing: `reduction='mean'`, `K.mean`.",
        example: "return K.sum(K.binary_crossentropy(y_true, y_pred))",
        useInstead: "return K.mean(K.binary_crossentropy(y_true, y_pred))",
        triggeringLosses: ["bce-sum"], passingLosses: ["bce", "soft-dice", "batch-dice"]
    )
}

/// LD401: doubling the batch with the same samples changes the loss or its gradient.
struct BatchDependentScaleRule: Rule {
    /// Relative change that counts as batch-dependent.
    static let tolerance = 0.05

    var description: RuleDescription { .batchDependentScale }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let scale = evidence.scale, scale.base.value != 0, scale.base.value.isFinite else { return [] }
        let valueRatio = Double(scale.doubledBatch.value / scale.base.value)
        let massRatio = scale.base.mass > 0 ? scale.doubledBatch.mass / scale.base.mass : 1
        guard Swift.abs(valueRatio - 1) > Self.tolerance || Swift.abs(massRatio - 1) > Self.tolerance else { return [] }
        return [finding(
            "doubling the batch with the same samples multiplies the loss by \(Phrase.number(valueRatio)) and its gradient by \(Phrase.number(massRatio)): the learning rate depends on the batch size",
            notes: ["\(scale.probe): \(Phrase.number(scale.base.value)) at batch 4, \(Phrase.number(scale.doubledBatch.value)) at batch 8"],
            probe: scale.probe, numbers: ["value_ratio": valueRatio, "gradient_ratio": massRatio])]
    }
}
