extension RuleDescription {
    static let noGradient = RuleDescription(
        code: "LD102", name: "no-gradient", severity: .error,
        summary: "Flags a loss with no differentiable path from the prediction: every path is cut by a comparison, an integer or bool cast, or argmax.",
        rationale: """
            Without a path there is no gradient: TensorFlow returns `None` (Keras: `No gradients provided for any \
            variable`), PyTorch's result does not require grad (`element 0 of tensors does not require grad and \
            does not have a grad_fn`). Thresholded predictions (`cast(p > 0.5)`) are a metric, not a loss.
            """,
        detection: "The gradient with respect to the prediction is missing on every soft probe, and the cutting ops are not `//` (LD101) or a graph break (LD107). Names every op that cuts a path.",
        fix: "Compute the loss on the soft prediction (probabilities), not on thresholded, rounded or arg-maxed values.",
        example: "y_pred = K.cast(K.greater(y_pred, 0.5), 'float32')",
        useInstead: "# use y_pred as it is: a probability in [0, 1]",
        triggeringLosses: ["dice-threshold"], passingLosses: ["soft-dice", "dice-floor"]
    )
}

/// LD102: no differentiable path from the prediction to the loss.
struct NoGradientRule: Rule {
    var description: RuleDescription { .noGradient }

    func check(_ evidence: Evidence) -> [Finding] {
        guard evidence.gradientMissingEverywhere else { return [] }
        let cuts = evidence.softObservations.flatMap(\.gradient.cuts)
        let others = cuts.filter { $0.op != "//" && $0.op != "stop_gradient" }
        if cuts.isEmpty {
            return [finding("the loss does not depend on the prediction: no gradient can reach the model",
                            probe: evidence.softObservations.first?.probe)]
        }
        guard let first = others.first else { return [] }
        return [finding(
            "no gradient reaches the prediction: \(Phrase.ops(others)) cuts every path",
            notes: ["TensorFlow: \(first.tensorflow); PyTorch: \(first.pytorch)",
                    "imbalanced mask: " + evidence.valuesLine(.imbalanced, [.perfect, .soft, .uniform, .allBackground])],
            probe: evidence.softObservations.first?.probe, site: first.site)]
    }
}
