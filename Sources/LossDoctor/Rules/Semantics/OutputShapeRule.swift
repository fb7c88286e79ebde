extension RuleDescription {
    static let outputShape = RuleDescription(
        code: "LD308", name: "output-shape", severity: .info,
        summary: "Reports a loss that returns a non-scalar, and how the frameworks reduce it.",
        rationale: "Keras averages a per-sample loss (`sum_over_batch_size`) and it trains; PyTorch's `loss.backward()` needs a scalar and raises `grad can be implicitly created only for scalar outputs`. Knowing the shape avoids surprises when the loss is reused.",
        detection: "The loss returned more than one element on the probes (LossDoctor averages it, as Keras does).",
        fix: "Reduce explicitly (`.mean()`) if the loss is used in PyTorch or in a custom training loop.",
        example: "return 1 - dice_per_sample",
        useInstead: "return K.mean(1 - dice_per_sample)",
        triggeringLosses: ["dice-per-sample"], passingLosses: ["soft-dice"]
    )
}

/// LD308: the loss returns a non-scalar.
struct OutputShapeRule: Rule {
    var description: RuleDescription { .outputShape }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let observation = evidence.observations.first(where: { elementCount($0.outputShape) > 1 }) else { return [] }
        return [finding(
            "the loss returns shape \(Tensor.describe(observation.outputShape)), not a scalar: Keras averages it, PyTorch's backward() needs a scalar",
            probe: observation.probe)]
    }
}
