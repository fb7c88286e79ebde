extension RuleDescription {
    static let wrongDirection = RuleDescription(
        code: "LD301", name: "wrong-direction", severity: .error,
        summary: "Flags a loss that falls when the prediction moves from perfect toward inverted.",
        rationale: "Minimising it makes the model worse: it learns to predict the opposite of the target. The usual cause is returning the Dice coefficient instead of 1 - Dice. A negated coefficient (-Dice) is not this: it still prefers better predictions.",
        detection: "Along the sweep perfect->inverted on the balanced mask, the loss at the inverted end is lower than at the perfect end (by more than 0.1 % of their magnitude).",
        fix: "Return a quantity that is smallest at the target, e.g. `1 - dice` instead of `dice`.",
        example: "def dice_loss(y_true, y_pred):\n    return dice_coef(y_true, y_pred)",
        useInstead: "def dice_loss(y_true, y_pred):\n    return 1 - dice_coef(y_true, y_pred)",
        triggeringLosses: ["dice-coef"], passingLosses: ["soft-dice", "neg-dice"]
    )
}

/// LD301: the loss rewards worse predictions.
struct WrongDirectionRule: Rule {
    var description: RuleDescription { .wrongDirection }

    /// Whether the evidence shows the loss falling from perfect to inverted.
    static func isWrongDirection(_ evidence: Evidence) -> (perfect: Float, inverted: Float)? {
        guard let sweep = evidence.sweep(from: .perfect, to: .inverted, on: .balanced), let first = sweep.values.first,
              let last = sweep.values.last, first.isFinite, last.isFinite else { return nil }
        let tolerance = 1e-6 + 1e-3 * Swift.max(Swift.abs(first), Swift.abs(last))
        return last < first - tolerance ? (first, last) : nil
    }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let (perfect, inverted) = Self.isWrongDirection(evidence) else { return [] }
        return [finding(
            "the loss falls from \(Phrase.number(perfect)) at the perfect prediction to \(Phrase.number(inverted)) at the inverted one: it rewards worse predictions",
            notes: ["balanced mask: " + evidence.valuesLine(.balanced, [.perfect, .soft, .uniform, .inverted])],
            probe: .probe(.balanced, .inverted), numbers: ["perfect": Double(perfect), "inverted": Double(inverted)])]
    }
}
