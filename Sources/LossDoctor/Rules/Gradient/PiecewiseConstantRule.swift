extension RuleDescription {
    static let piecewiseConstant = RuleDescription(
        code: "LD105", name: "piecewise-constant", severity: .warning,
        summary: "Flags a loss that takes only a few distinct values along continuous sweeps between predictions.",
        rationale: "A staircase has zero gradient almost everywhere: the model gets no signal between the steps, whatever the framework reports about the gradient.",
        detection: "Each sweep (perfect->inverted on the balanced mask, all-background->perfect on the imbalanced mask, 65 points) is counted for distinct finite values; \(PiecewiseConstantRule.maxDistinctValues) or fewer is a staircase. It reads values only, so it also catches steps made by ops LossDoctor does not know.",
        fix: "Compute the loss from soft predictions with smooth operations (no rounding, thresholds or floor division).",
        example: "return 1 - dice(y_true, K.round(y_pred))",
        useInstead: "return 1 - dice(y_true, y_pred)",
        triggeringLosses: ["dice-floor", "dice-round", "dice-threshold"], passingLosses: ["soft-dice", "bce"]
    )
}

/// LD105: along continuous sweeps the loss takes only a few values.
struct PiecewiseConstantRule: Rule {
    /// A sweep with this many distinct values or fewer is a staircase.
    static let maxDistinctValues = 8

    var description: RuleDescription { .piecewiseConstant }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let sweep = evidence.sweeps.first(where: { $0.distinctValues <= Self.maxDistinctValues && $0.values.contains(where: \.isFinite) })
        else { return [] }
        let (value, count) = sweep.plateau
        return [finding(
            "the loss takes only \(sweep.distinctValues) distinct values along the \(sweep.values.count)-step sweep \(sweep.from.rawValue)->\(sweep.to.rawValue) (\(sweep.mask.rawValue) mask)",
            notes: ["it sits at \(Phrase.number(value)) for \(count) of \(sweep.values.count) steps: the gradient is zero almost everywhere"],
            probe: .probe(sweep.mask, sweep.from),
            numbers: ["distinct_values": Double(sweep.distinctValues), "plateau_steps": Double(count)])]
    }
}
