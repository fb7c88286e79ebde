extension RuleDescription {
    static let trivialSolution = RuleDescription(
        code: "LD304", name: "trivial-solution", severity: .warning,
        summary: "Flags a loss under which predicting all background on an imbalanced mask scores close to the perfect prediction.",
        rationale: "On masks with 1.5 % foreground, a model that predicts nothing is already near the loss's minimum, and sits there with accuracy 0.98: the seed's constant `accuracy: 0.9862`. Pixel-averaged losses without class weighting reward it.",
        detection: "On the imbalanced mask (1.56 % foreground), (loss(all-background) - loss(perfect)) / (loss(uniform 0.5) - loss(perfect)) is below \(Phrase.number(TrivialSolutionRule.threshold)): predicting nothing is less than \(Phrase.fraction(TrivialSolutionRule.threshold)) of the way from perfect to knowing nothing. BCE scores 0.36 here, soft Dice 1.0.",
        fix: "Use an overlap loss (soft Dice, Tversky) or a class-weighted or focal cross-entropy, alone or added to the current loss.",
        example: "return K.mean(K.square(y_pred - y_true))",
        useInstead: "return bce(y_true, y_pred) + soft_dice_loss(y_true, y_pred)",
        triggeringLosses: ["mse"], passingLosses: ["bce", "soft-dice", "focal"]
    )
}

/// LD304: on the imbalanced mask, predicting nothing scores close to perfect.
struct TrivialSolutionRule: Rule {
    /// All-background's share of the way from perfect to uniform below which it is a trivial solution.
    static let threshold: Float = 0.1

    var description: RuleDescription { .trivialSolution }

    func check(_ evidence: Evidence) -> [Finding] {
        let perfect = evidence.value(.imbalanced, .perfect)
        let nothing = evidence.value(.imbalanced, .allBackground)
        let uniform = evidence.value(.imbalanced, .uniform)
        guard perfect.isFinite, nothing.isFinite, uniform.isFinite, uniform - perfect > 1e-6 else { return [] }
        let share = (nothing - perfect) / (uniform - perfect)
        guard share < Self.threshold else { return [] }
        return [finding(
            "predicting all background on the imbalanced mask (1.56 % foreground) scores \(Phrase.number(nothing)), only \(Phrase.number(share * 100, 3)) % of the way from perfect (\(Phrase.number(perfect))) to uniform \(evidence.target.isMultiClass ? "1/\(evidence.target.classes)" : "0.5") (\(Phrase.number(uniform)))",
            notes: ["a model that predicts nothing sits near the minimum with accuracy 0.984"],
            probe: .probe(.imbalanced, .allBackground), numbers: ["share": Double(share)])]
    }
}

extension Phrase {
    static func number(_ x: Float, _ significant: Int) -> String { formatNumber(x, significant: significant) }
}
