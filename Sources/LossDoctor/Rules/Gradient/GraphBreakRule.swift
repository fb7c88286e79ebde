extension RuleDescription {
    static let graphBreak = RuleDescription(
        code: "LD107", name: "graph-break", severity: .error,
        summary: "Flags a prediction that leaves the framework's graph: `.numpy()`, `.item()`, `.tolist()`, `float()`/`int()` of a tensor, `.detach()`, `tf.stop_gradient`.",
        rationale: "Whatever is computed after the break is a constant to the framework: TensorFlow returns `None` gradients, PyTorch's result does not require grad. The loss is logged and looks right, and the model never learns from it.",
        detection: "A `stop_gradient`/`detach` op (or, in source files, one of the calls above) cuts a path from the prediction to the loss on some probe. Where the gradient still reaches the prediction through other paths on the probes (a detached weight), it is info.",
        fix: "Keep the computation in tensors: remove `.detach()`, `tf.stop_gradient`, `.numpy()`, `.item()` and Python scalar conversions.",
        example: "y_pred = y_pred.detach()",
        useInstead: "# use y_pred as it is",
        triggeringLosses: ["dice-detach"], passingLosses: ["soft-dice"]
    )
}

/// LD107: the prediction leaves the framework's graph.
struct GraphBreakRule: Rule {
    var description: RuleDescription { .graphBreak }

    func check(_ evidence: Evidence) -> [Finding] {
        let (sites, probe) = evidence.cuts(of: .stopGradient)
        guard let first = sites.first else { return [] }
        if !evidence.gradientMissingEverywhere && evidence.observations.contains(where: { $0.gradient.state == .healthy }) {
            // A detached factor beside a path that still carries the gradient is a deliberate stop-gradient weight
            // (kornia's focal weight, OHEM): a dead or wrong-way term would be dead-term's or wrong-direction's to report.
            return [finding(
                "\(Phrase.ops(sites)) holds part of the loss constant; the gradient reaches the prediction through the rest",
                severity: .info, notes: ["TensorFlow: \(first.tensorflow); PyTorch: \(first.pytorch)"], probe: probe, site: first.site,
                fix: "Nothing to do if the detached part is a weight by design; remove the detach if that part should train the model.")]
        }
        return [finding(
            "\(Phrase.ops(sites)) takes the prediction out of the graph: \(evidence.gradientMissingEverywhere ? "no gradient reaches the model" : "that path carries no gradient")",
            notes: ["TensorFlow: \(first.tensorflow); PyTorch: \(first.pytorch)"], probe: probe, site: first.site)]
    }
}
