extension RuleDescription {
    private static let limitDefaults = InterpreterLimits()

    static let resourceLimit = RuleDescription(
        code: "LD903", name: "resource-limit", severity: .error,
        summary: "Reports a loss whose evaluation exceeded a limit: steps (an endless loop), recursion depth, or tensor size.",
        rationale: "A CI gate must end: LossDoctor bounds every evaluation and reports where the bound was hit instead of hanging or exhausting memory.",
        detection: "The step counter, the call depth, the elements the call holds or the time passed its limit (defaults: \(limitDefaults.steps) steps per call, \(limitDefaults.callDepth) nested calls, \(limitDefaults.tensorElements / (1024 * 1024))M elements held, \(Int(limitDefaults.seconds)) s per loss).",
        fix: "Remove the runaway loop or recursion; if the loss is legitimately that large, raise the limit with the matching flag.",
        example: "def loss(y_true, y_pred):\n    while True:\n        pass\n",
        useInstead: "def loss(y_true, y_pred):\n    return ((y_pred - y_true) ** 2).mean()\n",
        triggeringLosses: [], passingLosses: []
    )
}

/// LD903: evaluation exceeded a resource limit.
struct ResourceLimitRule: RaisedErrorRule {
    var description: RuleDescription { .resourceLimit }

    var raises: InterpreterError.Kind { .limit }

    /// What was raised, worded as every raised error is (`RaisedErrorRule`, with LD603).
    func check(_ evidence: Evidence) -> [Finding] { raisedFindings(evidence) }

    /// The note ending a report cut to `FindingCap`'s limits: `omitted` findings of `loss` left out.
    func findingsLeftOut(_ omitted: Int, of loss: String, at site: SourceSite?) -> Finding {
        finding("\(omitted) more finding\(omitted == 1 ? "" : "s") of \(loss) left out: a report shows at most \(FindingCap.perReport) findings a loss and \(FindingCap.perRun) a run",
                severity: .info, site: site, fix: "Fix the findings shown and check again, or check fewer files at once.")
    }
}
