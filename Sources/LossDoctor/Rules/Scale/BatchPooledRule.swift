extension RuleDescription {
    static let batchPooled = RuleDescription(
        code: "LD403", name: "batch-pooled", severity: .info,
        summary: "Reports a loss that pools its statistics over the whole batch, so a sample's loss depends on the other samples.",
        rationale: "Flattening across samples (`K.flatten(y_true)`, Keras `Dice(axis=None)`, smp and MONAI `batch=True`) computes one Dice for the batch: an empty image's false positives are diluted by its neighbours' foreground, and the loss changes with batch composition. It is a legitimate choice, but it should be one.",
        detection: "On mixed/soft (half the samples empty), the loss of the batch differs by more than 0.1 % from both the mean and the sum of the losses of each sample alone. Not on classification rows, whose batch is the rows.",
        fix: "Reduce over each sample's axes (`axis=[1, 2, 3]`) and then average over the batch, if per-sample behaviour is wanted.",
        example: "y_true_f = K.flatten(y_true)",
        useInstead: "intersection = K.sum(y_true * y_pred, axis=[1, 2, 3])",
        triggeringLosses: ["batch-dice"], passingLosses: ["soft-dice", "bce"]
    )
}

/// LD403: statistics pooled over the whole batch.
struct BatchPooledRule: Rule {
    var description: RuleDescription { .batchPooled }

    func check(_ evidence: Evidence) -> [Finding] {
        // On classification rows the batch is the rows themselves: a statistic over them (a soft F1) is the loss's design.
        guard evidence.shape != .rows, let scale = evidence.scale, scale.batchValue.isFinite, !scale.perSampleValues.isEmpty,
              scale.perSampleValues.allSatisfy(\.isFinite) else { return [] }
        let sum = scale.perSampleValues.reduce(0, +)
        let mean = sum / Float(scale.perSampleValues.count)
        func differs(_ x: Float) -> Bool { Swift.abs(scale.batchValue - x) > 1e-3 * Swift.max(Swift.abs(x), 1e-6) }
        guard differs(mean), differs(sum) else { return [] }
        return [finding(
            "statistics are pooled over the batch: on \(scale.poolingProbe) the batch's loss is \(Phrase.number(scale.batchValue)), its samples' alone average \(Phrase.number(mean))",
            notes: ["per sample: " + scale.perSampleValues.map { Phrase.number($0) }.joined(separator: ", ")],
            probe: scale.poolingProbe, numbers: ["batch": Double(scale.batchValue), "per_sample_mean": Double(mean)])]
    }
}
