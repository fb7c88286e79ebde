/// LD901: a Python construct outside the supported subset.
struct UnsupportedSyntaxRule: Rule {
    let description = RuleDescription(
        code: "LD901", name: "unsupported-syntax", severity: .error,
        summary: "Reports a Python construct outside the subset LossDoctor evaluates (`global`/`nonlocal`, advanced or boolean-mask indexing of a tensor, strided item assignment).",
        rationale: "LossDoctor never runs your Python: it evaluates the subset loss functions are written in. Outside it, the loss cannot be probed; static rules still run.",
        detection: "The interpreter met the construct while evaluating the loss.",
        fix: "Rewrite the construct with the supported subset (the message says how), or move it out of the loss.",
        example: "calls = 0\n\ndef loss(y_true, y_pred):\n    global calls\n    calls += 1\n    return ((y_pred - y_true) ** 2).mean()\n",
        useInstead: "def loss(y_true, y_pred):\n    return ((y_pred - y_true) ** 2).mean()\n",
        triggeringLosses: [], passingLosses: []
    )

    func check(_ evidence: Evidence) -> [Finding] { failureFindings(evidence) }
}
