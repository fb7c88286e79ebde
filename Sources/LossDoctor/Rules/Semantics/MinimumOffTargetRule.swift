/// LD302: some other prediction scores lower than the perfect one.
struct MinimumOffTargetRule: Rule {
    let description = RuleDescription(
        code: "LD302", name: "minimum-off-target", severity: .error,
        summary: "Flags a loss under which some probe prediction other than the target scores lower than the perfect prediction.",
        rationale: "The optimiser is pulled toward that other prediction and away from the target: a sign error, wrong weights, a double activation or a wrong formula. Training curves still go down, so nothing looks wrong.",
        detection: "On any mask, a prediction other than perfect has a loss below the perfect one by more than 0.1 % of the loss's span on that mask. Not reported when LD301 wrong-direction already is.",
        fix: "Check the formula term by term: each term must be smallest when the prediction equals the target.",
        example: "return -K.mean(y_true * K.log(p) - (1 - y_true) * K.log(1 - p))",
        useInstead: "return -K.mean(y_true * K.log(p) + (1 - y_true) * K.log(1 - p))",
        triggeringLosses: ["bce-sign-error"], passingLosses: ["bce", "soft-dice", "double-sigmoid"]
    )

    func check(_ evidence: Evidence) -> [Finding] {
        guard WrongDirectionRule.isWrongDirection(evidence) == nil else { return [] }
        for mask in MaskKind.allCases {
            let perfect = evidence.value(mask, .perfect)
            guard perfect.isFinite else { continue }
            let values = evidence.observations.filter { $0.mask == mask && $0.value.isFinite }.map(\.value)
            let span = (values.max() ?? perfect) - (values.min() ?? perfect)
            let tolerance = Swift.max(1e-6, 1e-3 * span)
            let better = evidence.observations.filter { $0.mask == mask && $0.prediction != .perfect && $0.value < perfect - tolerance }
            guard let best = better.min(by: { $0.value < $1.value }) else { continue }
            return [finding(
                "the prediction \(best.prediction.rawValue) scores \(Phrase.number(best.value)) on the \(mask.rawValue) mask, below the perfect prediction's \(Phrase.number(perfect)): the minimum is not at the target",
                notes: ["\(mask.rawValue) mask: " + evidence.valuesLine(mask, PredictionKind.allCases)],
                probe: best.probe, numbers: ["perfect": Double(perfect), "best": Double(best.value)])]
        }
        return []
    }
}
