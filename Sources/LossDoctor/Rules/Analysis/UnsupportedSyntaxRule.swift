extension RuleDescription {
    static let unsupportedSyntax = RuleDescription(
        code: "LD901", name: "unsupported-syntax", severity: .error,
        summary: "Reports a Python construct outside the subset LossDoctor evaluates (advanced or boolean-mask indexing of a tensor, item assignment through a strided slice).",
        rationale: "LossDoctor never runs your Python: it evaluates the subset loss functions are written in. Outside it, the loss cannot be probed; static rules still run.",
        detection: "The interpreter met the construct while evaluating the loss.",
        fix: "Rewrite the construct with the supported subset (the message says how), or move it out of the loss.",
        example: "def loss(pred, target):\n    pred = pred * 1.0\n    pred[:, ::2] = 0.0\n    return ((pred - target) ** 2).mean()\n",
        useInstead: "def loss(pred, target):\n    return ((pred - target) ** 2).mean()\n",
        triggeringLosses: [], passingLosses: []
    )
}

/// LD901: a Python construct outside the supported subset.
struct UnsupportedSyntaxRule: RaisedErrorRule {
    var description: RuleDescription { .unsupportedSyntax }

    var raises: InterpreterError.Kind { .unsupportedSyntax }

    /// What was raised, worded as every raised error is (`RaisedErrorRule`, with LD603).
    func check(_ evidence: Evidence) -> [Finding] { raisedFindings(evidence) }
}
