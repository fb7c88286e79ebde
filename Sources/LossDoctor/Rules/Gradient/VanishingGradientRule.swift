extension RuleDescription {
    static let vanishingGradient = RuleDescription(
        code: "LD106", name: "vanishing-gradient", severity: .warning,  // info on an overlap loss of activated logits
        summary: "Flags a loss whose gradient on confidently wrong predictions is orders of magnitude smaller than on mildly wrong ones.",
        rationale: "A badly wrong model barely learns: the loss saturates exactly where the error is largest. The classic case is a squared error after a sigmoid of logits: its gradient carries the factor sigmoid'(z), which is 0.001 at p = 0.999. A soft Dice computed on sigmoid(logits) saturates the same way, which is why it is usually paired with BCE on logits.",
        detection: "On the balanced mask, the gradient norm at confidently-wrong (0.001 on foreground, 0.999 on background) divided by the norm at mildly-wrong (0.4 / 0.6) is below \(Phrase.number(VanishingGradientRule.threshold)). Healthy cross-entropies grow instead (BCE on logits: 1.7). On an overlap loss (its graph divides two prediction-dependent sums, or missing the imbalanced foreground costs over \(Phrase.percent(SmoothingDominatesRule.overlapThreshold)) of its span, where MSE or L1 cost about 1.56 %, or missing the balanced foreground over \(Phrase.percent(VanishingGradientRule.balancedOverlapShare)), where a per-pixel mean costs about 50 %) of sigmoid/softmax(logits), the design of smp, MONAI and kornia, it is info, with the note that adding a cross-entropy on logits helps; its scale does not matter (MCC spans 2, a Dice summed over the batch N). Not reported when LD301 wrong-direction is: the gradient points the wrong way to begin with.",
        fix: "Use a loss whose gradient does not saturate, e.g. binary cross-entropy with logits, alone or added to the overlap loss.",
        example: "return K.mean(K.square(K.sigmoid(logits) - y_true))",
        useInstead: "return K.mean(K.binary_crossentropy(y_true, logits, from_logits=True))",
        triggeringLosses: ["mse-logits"], passingLosses: ["bce-logits", "bce", "soft-dice"]
    )
}

/// LD106: confidently wrong predictions get a far smaller gradient than mildly wrong ones.
struct VanishingGradientRule: Rule {
    /// Confident/mild gradient-norm ratio below which the gradient vanishes.
    static let threshold = 0.1

    var description: RuleDescription { .vanishingGradient }

    func check(_ evidence: Evidence) -> [Finding] {
        guard WrongDirectionRule.isWrongDirection(evidence) == nil else { return [] }
        guard let confident = evidence.observation(.balanced, .confidentlyWrong), let mild = evidence.observation(.balanced, .mildlyWrong),
              confident.gradient.state == .healthy, mild.gradient.state == .healthy, mild.gradient.norm > 0 else { return [] }
        let ratio = confident.gradient.norm / mild.gradient.norm
        guard ratio < Self.threshold else { return [] }
        let notes = ["gradient norm: \(Phrase.number(confident.gradient.norm)) at balanced/confidently-wrong, \(Phrase.number(mild.gradient.norm)) at balanced/mildly-wrong"]
        if Self.isOverlapOnLogits(evidence) {
            // The standard design of smp, MONAI and kornia: worth knowing, not a defect.
            return [finding(
                "the gradient on confidently wrong predictions is \(Phrase.number(1 / ratio)) times smaller than on mildly wrong ones, as for every overlap loss on sigmoid/softmax(logits)",
                severity: .info,
                notes: notes + ["an overlap loss (Dice, IoU, Tversky, MCC) of activated logits saturates where the model is confidently wrong; adding a cross-entropy on the logits (BCE, CE) keeps a gradient there"],
                probe: confident.probe, fix: "Add a cross-entropy on the logits (BCE for binary, CE for multi-class) if confidently wrong pixels must be corrected early.",
                numbers: ["ratio": ratio])]
        }
        return [finding(
            "the gradient on confidently wrong predictions is \(Phrase.number(1 / ratio)) times smaller than on mildly wrong ones: a badly wrong model barely learns",
            notes: notes, probe: confident.probe, numbers: ["ratio": ratio])]
    }

    /// An overlap-type loss (missing the imbalanced mask's foreground costs more than 15 % of its span, where
    /// a per-pixel loss such as MSE or L1 costs about 1.56 %) that activates logits itself. Its range is not
    /// required to be [0, 1]: MCC (1 - correlation) spans 2, a per-image Dice summed over the batch spans N,
    /// and adding a small boundary or BCE term on empty images leaves the overlap behaviour as it was.
    static func isOverlapOnLogits(_ evidence: Evidence) -> Bool {
        let activates = evidence.domain == .logits || evidence.graphFacts.contains { $0.kind == .activationOnPrediction }
        guard activates else { return false }
        // The graph divides two prediction-dependent sums: an overlap, however the background weighs in it.
        if evidence.graphFacts.contains(where: { $0.kind == .overlapRatio }) { return true }
        if let share = SmoothingDominatesRule.missShare(evidence, .imbalanced), share > SmoothingDominatesRule.overlapThreshold { return true }
        // A per-image overlap averaged over a batch whose imbalanced images are mostly empty (MONAI's DiceLoss
        // per sample) charges little there; on the balanced mask every image has foreground, and missing it
        // costs nearly the whole span, where a per-pixel loss is charged for the half it gets wrong.
        guard let balanced = SmoothingDominatesRule.missShare(evidence, .balanced) else { return false }
        return balanced > Self.balancedOverlapShare
    }

    /// Share of the balanced mask's span that missing its foreground costs, above which a loss is an overlap loss
    /// (a Dice: about 1; a per-pixel mean such as MSE, L1 or BCE: about 0.5, half the pixels wrong).
    static let balancedOverlapShare: Float = 0.8
}
