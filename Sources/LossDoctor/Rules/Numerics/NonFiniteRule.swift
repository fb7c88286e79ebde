extension RuleDescription {
    static let nonFinite = RuleDescription(
        code: "LD201", name: "non-finite", severity: .error,
        summary: "Flags NaN or ±Inf in the loss or its gradient on some probe, naming the first probe and the first op that produced it.",
        rationale: "One NaN poisons the weights: after the next optimiser step every output is NaN and training is over (Keras prints `loss: nan`; PyTorch continues silently unless anomaly detection is on). Typical causes: 0/0 on an empty mask predicted empty; log(0) on a hard prediction; a power below 1 of a quantity that reaches 0.",
        detection: "Any probe (in table order) whose loss or gradient holds a NaN or an infinity. The first op is the first one in execution order whose output is not finite while its inputs are (forward), or the first one, walking back from the loss, whose gradient turned non-finite (backward).",
        fix: "Add a smoothing constant or epsilon where the quantity can reach zero (numerator and denominator of a ratio; inside a log or a fractional power).",
        example: "return 1 - 2 * intersection / (K.sum(y_true) + K.sum(y_pred))",
        useInstead: "return 1 - (2 * intersection + 1) / (K.sum(y_true) + K.sum(y_pred) + 1)",
        triggeringLosses: ["dice-no-smooth", "bce-no-clip", "focal-tversky-075"], passingLosses: ["soft-dice", "bce"]
    )
}

/// LD201: NaN or infinity in the loss or its gradient.
struct NonFiniteRule: Rule {
    var description: RuleDescription { .nonFinite }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let observation = evidence.firstNonFiniteObservation else { return [] }
        let inValue = !observation.value.isFinite
        let op = inValue ? observation.firstNonFiniteOp : observation.gradient.firstNonFinite
        let what = inValue ? "the loss is \(Phrase.number(observation.value))" : "the gradient is not finite"
        var message = "\(what) on probe \(observation.probe)"
        if let op { message += ", first produced by \(Phrase.op(op))" }
        var notes: [String] = []
        if let why = Self.explanation(op?.op, observation: observation, inValue: inValue) { notes.append(why) }
        let affected = evidence.observations.filter { !$0.value.isFinite || $0.gradient.state == .nonFinite }.map(\.probe.description)
        notes.append("non-finite on \(affected.count) of \(evidence.observations.count) probes: \(affected.prefix(6).joined(separator: ", "))\(affected.count > 6 ? ", ..." : "")")
        return [finding(message, notes: notes, probe: observation.probe, site: op?.site,
                        numbers: ["non_finite_probes": Double(affected.count)])]
    }

    /// Why the op went non-finite on this probe, in words.
    static func explanation(_ op: String?, observation: Observation, inValue: Bool) -> String? {
        switch op {
        case "/" where observation.mask == .empty || observation.mask == .mixed:
            return "0/0: on an empty mask predicted empty, the numerator and the denominator are both 0"
        case "/": return "a division by zero"
        case "log": return "log(0) = -inf: a hard (0/1) prediction reaches the log unguarded"
        case "**" where !inValue:
            return "the gradient of x**a with a < 1 is infinite at x = 0: reached at the perfect prediction"
        case "sqrt" where !inValue: return "the gradient of sqrt is infinite at 0"
        default: return nil
        }
    }
}
