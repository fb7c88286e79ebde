extension RuleDescription {
    static let unsupportedCall = RuleDescription(
        code: "LD902", name: "unsupported-call", severity: .error,
        summary: "Reports a call whose meaning LossDoctor does not know: a third-party or unmodelled framework function, or anything outside tensor maths (`os.system`, `open`).",
        rationale: "LossDoctor evaluates only APIs it models, so that checking a file can never run code: an unknown call stops the analysis of that loss instead of being guessed at.",
        detection: "The interpreter resolved a call to a namespace with no entry in its API tables.",
        fix: "Rewrite the call with a framework API LossDoctor models (`loss-doctor list apis`), or report the API you need.",
        example: "import os\n\ndef loss(y_true, y_pred):\n    os.system('echo hi')\n    return ((y_pred - y_true) ** 2).mean()\n",
        useInstead: "def loss(y_true, y_pred):\n    return ((y_pred - y_true) ** 2).mean()\n",
        triggeringLosses: [], passingLosses: []
    )
}

/// LD902: a call whose meaning LossDoctor does not know.
struct UnsupportedCallRule: RaisedErrorRule {
    var description: RuleDescription { .unsupportedCall }

    var raises: InterpreterError.Kind { .unsupportedCall }

    /// What was raised, worded as every raised error is (`RaisedErrorRule`, with LD603).
    func check(_ evidence: Evidence) -> [Finding] { raisedFindings(evidence) }
}
