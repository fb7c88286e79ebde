extension RuleDescription {
    static let zeroGradient = RuleDescription(
        code: "LD103", name: "zero-gradient", severity: .error,
        summary: "Flags a loss whose gradient with respect to the prediction is exactly zero on every soft probe (round, floor, ceil, sign, an always-active clip).",
        rationale: """
            The optimiser receives zeros and the weights never move. PyTorch gives zeros through `round`, \
            `floor`, `ceil` and `sign` without a word; TensorFlow gives `None` for round/floor/ceil and zeros for sign.
            """,
        detection: "Every soft probe (uniform, soft, random, mildly and confidently wrong) has a gradient that is identically zero. Names the ops where a non-zero gradient arrived and only zeros left, step-like ops first.",
        fix: "Remove the rounding: compute the loss on the soft prediction.",
        example: "y_pred = K.round(y_pred)",
        useInstead: "# use y_pred as it is",
        triggeringLosses: ["dice-round"], passingLosses: ["soft-dice"]
    )
}

/// LD103: a path exists but the gradient is exactly zero on every soft probe.
struct ZeroGradientRule: Rule {
    var description: RuleDescription { .zeroGradient }

    func check(_ evidence: Evidence) -> [Finding] {
        let soft = evidence.softObservations
        guard evidence.softProbesAllObserved, soft.allSatisfy({ $0.gradient.state == .zero }) else { return [] }
        let zeroing = soft.flatMap(\.gradient.zeroing)
        let ranked = zeroing.filter { $0.gradientClass == .zeroAlmostEverywhere } + zeroing
        guard let first = ranked.first else {
            return [finding("the gradient is exactly zero on every soft probe", probe: soft[0].probe)]
        }
        return [finding(
            "\(Phrase.op(first)) makes the gradient exactly zero on all \(soft.count) soft probes: the loss cannot train",
            notes: ["TensorFlow: \(first.tensorflow); PyTorch: \(first.pytorch)"],
            probe: soft[0].probe, site: first.site)]
    }
}
