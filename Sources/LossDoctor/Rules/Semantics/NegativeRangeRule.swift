extension RuleDescription {
    static let negativeRange = RuleDescription(
        code: "LD309", name: "negative-range", severity: .info,
        summary: "Reports a loss that takes negative values (e.g. -Dice).",
        rationale: "It trains, but negative losses confuse monitoring: early stopping thresholds, `ReduceLROnPlateau` with `min_delta`, and comparisons with other losses all assume a minimum at 0.",
        detection: "Some probe's loss is below -1e-6.",
        fix: "Shift it to end at 0 (e.g. `1 - dice` instead of `-dice`).",
        example: "return -dice_coef(y_true, y_pred)",
        useInstead: "return 1 - dice_coef(y_true, y_pred)",
        triggeringLosses: ["neg-dice"], passingLosses: ["soft-dice"]
    )
}

/// LD309: the loss takes negative values.
struct NegativeRangeRule: Rule {
    var description: RuleDescription { .negativeRange }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let lowest = evidence.observations.filter({ $0.value.isFinite }).min(by: { $0.value < $1.value }),
              lowest.value < -1e-6 else { return [] }
        return [finding("the loss goes down to \(Phrase.number(lowest.value)) (at \(lowest.probe)): negative values confuse monitoring",
                        probe: lowest.probe, numbers: ["minimum": Double(lowest.value)])]
    }
}
