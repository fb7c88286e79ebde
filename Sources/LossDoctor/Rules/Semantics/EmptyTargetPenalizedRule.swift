extension RuleDescription {
    static let emptyTargetPenalized = RuleDescription(
        code: "LD303", name: "empty-target-penalized", severity: .warning,
        summary: "Flags a loss that charges (nearly) its maximum for predicting an empty target as empty, or charges nothing for false positives on it.",
        rationale: "Segmentation data is full of empty images. With epsilon only in the denominator (Keras 3 `Dice`), 0 / (0 + eps) = 0, so the correct empty prediction costs 1, the worst value, and nothing it can do is better: the model is pushed to hallucinate foreground, or the empty images carry no signal at all.",
        detection: "On the empty mask, the perfect (empty) prediction costs at least \(Phrase.percent(EmptyTargetPenalizedRule.worstShare)) of the worst probe and more than \(Phrase.power(EmptyTargetPenalizedRule.minimumCost)); or the all-foreground prediction costs the same as the perfect one (within 1e-6) and gets no gradient. Multi-class (the empty mask is all background): the perfect prediction costs more than \(Phrase.power(EmptyTargetPenalizedRule.minimumCost)) and at least \(Phrase.fraction(EmptyTargetPenalizedRule.multiClassShare)) of the way from the balanced mask's perfect value (every class present) to the empty mask's worst. Not reported when LD301 wrong-direction is.",
        fix: "Put the smoothing constant in the numerator as well: (2I + s) / (Σy + Σp + s), so that empty vs empty gives 1.",
        example: "return 1 - 2 * intersection / (K.sum(y_true) + K.sum(y_pred) + K.epsilon())",
        useInstead: "return 1 - (2 * intersection + 1) / (K.sum(y_true) + K.sum(y_pred) + 1)",
        triggeringLosses: ["dice-eps-denominator"], passingLosses: ["soft-dice", "bce", "generalized-dice"]
    )
}

/// LD303: an empty target predicted empty costs the maximum, or false positives on it cost nothing.
struct EmptyTargetPenalizedRule: Rule {
    /// Share of the way from the empty mask's best probe to its worst that the empty prediction costs at least.
    static let worstShare: Float = 0.9
    /// What the empty prediction must cost at least for either comparison to count: a loss costing (about)
    /// nothing on every probe of the empty mask passes the comparison trivially (0 >= 0.9 x 0).
    static let minimumCost: Float = 1e-3
    /// Multi-class: share of the way from the balanced mask's perfect value to the empty mask's worst value
    /// that the empty mask's perfect prediction costs at least (3 classes, eps only in the denominator: 2/3).
    static let multiClassShare: Float = 0.5

    var description: RuleDescription { .emptyTargetPenalized }

    func check(_ evidence: Evidence) -> [Finding] {
        guard WrongDirectionRule.isWrongDirection(evidence) == nil else { return [] }
        let perfect = evidence.value(.empty, .perfect)
        let values = evidence.observations.filter { $0.mask == .empty && $0.value.isFinite }.map(\.value)
        guard perfect.isFinite, let worst = values.max(), let best = values.min() else { return [] }
        let line = "empty mask: " + evidence.valuesLine(.empty, [.perfect, .soft, .uniform, .allForeground])
        if perfect > Self.minimumCost, perfect - best >= Self.worstShare * (worst - best) {
            return [finding(
                "on an empty target, the correct empty prediction costs \(Phrase.number(perfect)), \(worst == perfect ? "the worst value of any probe" : "close to the worst, \(Phrase.number(worst))")",
                notes: [line, "with epsilon only in the denominator, 0 / (0 + eps) = 0: empty images can never be got right"],
                probe: .probe(.empty, .perfect), numbers: ["perfect": Double(perfect), "worst": Double(worst)])]
        }
        // Multi-class: the empty mask is all background, so the background class keeps the perfect prediction
        // off the worst value; the defect shows as absent object classes, predicted absent, costing their maximum.
        let present = evidence.value(.balanced, .perfect)
        if evidence.target.isMultiClass, perfect > Self.minimumCost, present.isFinite, worst > present,
           perfect - present >= Self.multiClassShare * (worst - present) {
            return [finding(
                "on an empty target, the correct empty prediction costs \(Phrase.number(perfect)), against \(Phrase.number(present)) on the balanced mask where every class is present: an absent class predicted absent costs its maximum",
                notes: [line, "with epsilon only in the denominator, a class absent from a sample scores 0 / (0 + eps) = 0 however it is predicted"],
                probe: .probe(.empty, .perfect), numbers: ["perfect": Double(perfect), "present": Double(present), "worst": Double(worst)])]
        }
        if let falsePositive = evidence.observation(.empty, .allForeground), falsePositive.value.isFinite,
           Swift.abs(falsePositive.value - perfect) <= 1e-6, falsePositive.gradient.state != .healthy {
            return [finding(
                "on an empty target, predicting all foreground costs \(Phrase.number(falsePositive.value)), no more than the empty prediction, and gets no gradient",
                notes: [line], probe: falsePositive.probe,
                fix: "Make false positives on empty targets cost: include empty samples in the loss (e.g. smoothing in the numerator).")]
        }
        return []
    }
}
