/// LD903: evaluation exceeded a resource limit.
struct ResourceLimitRule: Rule {
    let description = RuleDescription(
        code: "LD903", name: "resource-limit", severity: .error,
        summary: "Reports a loss whose evaluation exceeded a limit: steps (an endless loop), recursion depth, or tensor size.",
        rationale: "A CI gate must end: LossDoctor bounds every evaluation and reports where the bound was hit instead of hanging or exhausting memory.",
        detection: "The step counter, the call depth or the element count of a tensor passed its limit (defaults: 200,000 steps per call, 64 nested calls, 16M elements per tensor).",
        fix: "Remove the runaway loop or recursion; if the loss is legitimately that large, raise the limit with the matching flag.",
        example: "def loss(y_true, y_pred):\n    while True:\n        pass\n",
        useInstead: "def loss(y_true, y_pred):\n    return ((y_pred - y_true) ** 2).mean()\n",
        triggeringLosses: [], passingLosses: []
    )

    func check(_ evidence: Evidence) -> [Finding] { failureFindings(evidence) }
}
