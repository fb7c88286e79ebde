/// LD106: confidently wrong predictions get a far smaller gradient than mildly wrong ones.
struct VanishingGradientRule: Rule {
    /// Confident/mild gradient-norm ratio below which the gradient vanishes.
    static let threshold = 0.1

    let description = RuleDescription(
        code: "LD106", name: "vanishing-gradient", severity: .warning,
        summary: "Flags a loss whose gradient on confidently wrong predictions is orders of magnitude smaller than on mildly wrong ones.",
        rationale: "A badly wrong model barely learns: the loss saturates exactly where the error is largest. The classic case is a squared error after a sigmoid of logits: its gradient carries the factor sigmoid'(z), which is 0.001 at p = 0.999. A soft Dice computed on sigmoid(logits) saturates the same way, which is why it is usually paired with BCE on logits.",
        detection: "On the balanced mask, the gradient norm at confidently-wrong (0.001 on foreground, 0.999 on background) divided by the norm at mildly-wrong (0.4 / 0.6) is below 0.1. Healthy cross-entropies grow instead (BCE on logits: 1.7).",
        fix: "Use a loss whose gradient does not saturate, e.g. binary cross-entropy with logits, alone or added to the overlap loss.",
        example: "return K.mean(K.square(K.sigmoid(logits) - y_true))",
        useInstead: "return K.mean(K.binary_crossentropy(y_true, logits, from_logits=True))",
        triggeringLosses: ["mse-logits"], passingLosses: ["bce-logits", "bce", "soft-dice"]
    )

    func check(_ evidence: Evidence) -> [Finding] {
        guard let confident = evidence.observation(.balanced, .confidentlyWrong), let mild = evidence.observation(.balanced, .mildlyWrong),
              confident.gradient.state == .healthy, mild.gradient.state == .healthy, mild.gradient.norm > 0 else { return [] }
        let ratio = confident.gradient.norm / mild.gradient.norm
        guard ratio < Self.threshold else { return [] }
        return [finding(
            "the gradient on confidently wrong predictions is \(Phrase.number(1 / ratio)) times smaller than on mildly wrong ones: a badly wrong model barely learns",
            notes: ["gradient norm: \(Phrase.number(confident.gradient.norm)) at balanced/confidently-wrong, \(Phrase.number(mild.gradient.norm)) at balanced/mildly-wrong"],
            probe: confident.probe, numbers: ["ratio": ratio])]
    }
}
