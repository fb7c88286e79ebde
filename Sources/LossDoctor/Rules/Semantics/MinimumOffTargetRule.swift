extension RuleDescription {
    static let minimumOffTarget = RuleDescription(
        code: "LD302", name: "minimum-off-target", severity: .error,
        summary: "Flags a loss under which some probe prediction other than the target scores lower than the perfect prediction.",
        rationale: "The optimiser is pulled toward that other prediction and away from the target: a sign error, wrong weights, a double activation or a wrong formula. Training curves still go down, so nothing looks wrong.",
        detection: "On any mask, a prediction other than perfect has a loss below the perfect one by more than 0.1 % of the loss's span on that mask and 0.1 % of its span over all probes (less is float32 rounding where the loss is flat). Not reported when LD301 wrong-direction already is. Info only when the minimum is a softened target (label smoothing): on every such mask the best prediction is the soft one (0.9 on the target class) and the inverted prediction costs more than the perfect one.",
        fix: "Check the formula term by term: each term must be smallest when the prediction equals the target.",
        example: "return -K.mean(y_true * K.log(p) - (1 - y_true) * K.log(1 - p))",
        useInstead: "return -K.mean(y_true * K.log(p) + (1 - y_true) * K.log(1 - p))",
        triggeringLosses: ["bce-sign-error"], passingLosses: ["bce", "soft-dice", "double-sigmoid"]
    )
}

/// LD302: some other prediction scores lower than the perfect one.
struct MinimumOffTargetRule: Rule {
    var description: RuleDescription { .minimumOffTarget }

    func check(_ evidence: Evidence) -> [Finding] {
        guard WrongDirectionRule.isWrongDirection(evidence) == nil else { return [] }
        var offTarget: [(mask: MaskKind, best: Observation, perfect: Float)] = []
        // A difference below 0.1 % of the loss's whole range is float32 rounding on a mask where the loss is flat
        // (a constant 0.99999 that sums to 0.99998 on random), not a minimum.
        let all = evidence.observations.map(\.value).filter(\.isFinite)
        let globalSpan = (all.max() ?? 0) - (all.min() ?? 0)
        for mask in MaskKind.allCases {
            let perfect = evidence.value(mask, .perfect)
            guard perfect.isFinite else { continue }
            let values = evidence.observations.filter { $0.mask == mask && $0.value.isFinite }.map(\.value)
            let span = (values.max() ?? perfect) - (values.min() ?? perfect)
            let tolerance = Swift.max(1e-6, 1e-3 * span, 1e-3 * globalSpan)
            let better = evidence.observations.filter { $0.mask == mask && $0.prediction != .perfect && $0.value < perfect - tolerance }
            guard let best = better.min(by: { $0.value < $1.value }) else { continue }
            offTarget.append((mask, best, perfect))
        }
        guard let first = offTarget.first else { return [] }
        let numbers = ["perfect": Double(first.perfect), "best": Double(first.best.value)]
        let notes = ["\(first.mask.rawValue) mask: " + evidence.valuesLine(first.mask, PredictionKind.allCases)]
        // Label smoothing (CrossEntropyLoss(label_smoothing=...), a target pulled toward 0.5) moves the minimum
        // to a softened target on purpose: the nearly-right prediction wins and the opposite still loses.
        let softened = offTarget.allSatisfy { $0.best.prediction == .soft && evidence.value($0.mask, .inverted) > $0.perfect }
        if softened {
            return [finding(
                "the minimum is at a softened target, as with label smoothing: the prediction soft scores \(Phrase.number(first.best.value)) on the \(first.mask.rawValue) mask, below the perfect prediction's \(Phrase.number(first.perfect))",
                severity: .info,
                notes: notes + ["the inverted prediction still costs more (\(Phrase.number(evidence.value(first.mask, .inverted)))): the loss pulls toward the target, only not all the way to 0/1"],
                probe: first.best.probe,
                fix: "Nothing to do if the smoothing is intended; otherwise check the target that the loss compares with.",
                numbers: numbers)]
        }
        return [finding(
            "the prediction \(first.best.prediction.rawValue) scores \(Phrase.number(first.best.value)) on the \(first.mask.rawValue) mask, below the perfect prediction's \(Phrase.number(first.perfect)): the minimum is not at the target",
            notes: notes, probe: first.best.probe, numbers: numbers)]
    }
}
