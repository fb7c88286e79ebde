extension RuleDescription {
    static let deadTerm = RuleDescription(
        code: "LD104", name: "dead-term", severity: .error,
        summary: "Flags an additive term of the loss that carries no gradient (cut, zero or floor-divided) while the other terms do.",
        rationale: """
            Neither framework complains: TensorFlow treats the term's `None` gradient as zero and PyTorch's `round` \
            gives zeros, so training runs and the term silently contributes nothing but an offset to the logged \
            loss. `bce + dice` then trains as plain BCE.
            """,
        detection: "The loss is split at `+` and `-` (through negation and scaling by constants); each term that depends on the prediction is differentiated alone on the probes imbalanced/random and balanced/soft. A term whose gradient is missing or zero while the whole loss has a healthy gradient is dead.",
        fix: "Fix the dead term (usually `//`, a threshold or a rounding inside it) or remove it.",
        example: "return bce(y_true, y_pred) + (1 - (2 * i + 1) // (s + 1))",
        useInstead: "return bce(y_true, y_pred) + (1 - (2 * i + 1) / (s + 1))",
        triggeringLosses: ["bce-plus-dice-floor"], passingLosses: ["dice-bce"]
    )
}

/// LD104: one additive term carries no gradient while the others do.
struct DeadTermRule: Rule {
    var reads: RuleInput { .termGradients }
    var description: RuleDescription { .deadTerm }

    func check(_ evidence: Evidence) -> [Finding] {
        var reported = Set<Int>()
        var findings: [Finding] = []
        for term in evidence.terms where !reported.contains(term.index) {
            guard term.gradient.state == .missing || term.gradient.state == .zero,
                  evidence.observations.first(where: { $0.probe == term.probe })?.gradient.state == .healthy else { continue }
            reported.insert(term.index)
            let killer = term.gradient.cuts.first ?? term.gradient.zeroing.first
            let cause = killer.map { " because of \(Phrase.op($0))" } ?? ""
            let total = evidence.terms.filter { $0.probe == term.probe }.map(\.index).max() ?? term.index
            findings.append(finding(
                "term \(term.index) of \(total) has \(term.gradient.state == .missing ? "no" : "a zero") gradient\(cause) while the loss as a whole trains: the term is dead weight",
                notes: ["the term's value on \(term.probe) is \(Phrase.number(term.value)); it shifts the logged loss but never the model",
                        "TensorFlow treats its `None` gradient as zero and PyTorch sums zeros: neither warns"],
                probe: term.probe, site: killer?.site ?? term.op?.site))
        }
        return findings
    }
}
