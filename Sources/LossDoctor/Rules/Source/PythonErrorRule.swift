extension RuleDescription {
    static let pythonError = RuleDescription(
        code: "LD603", name: "python-error", severity: .error,
        summary: "Flags a loss that raises when first called in its framework: a syntax error, an undefined name, a wrong number of arguments, a missing attribute, `float()` of a multi-element tensor.",
        rationale: "The training script dies at its first step, or, worse, only on some inputs (an empty batch, another batch size). LossDoctor says what Python or the framework would raise and where; where the intent is clear (e.g. `float(t)` meant as a cast), it goes on as intended so that one run reports every problem.",
        detection: "The interpreter raised a Python-level error while evaluating the loss on a probe, or noticed a call that raises in the framework and recovered from it.",
        fix: "Fix the error at the location given.",
        example: "from keras import backend as K\n\ndef dice_loss(y_true, y_pred):\n    y_true_f = K.flatten(float(y_true))\n    y_pred_f = K.flatten(y_pred)\n    i = K.sum(y_true_f * y_pred_f)\n    return 1 - (2 * i + 1) / (K.sum(y_true_f) + K.sum(y_pred_f) + 1)\n",
        useInstead: "from keras import backend as K\n\ndef dice_loss(y_true, y_pred):\n    y_true_f = K.flatten(K.cast(y_true, 'float32'))\n    y_pred_f = K.flatten(y_pred)\n    i = K.sum(y_true_f * y_pred_f)\n    return 1 - (2 * i + 1) / (K.sum(y_true_f) + K.sum(y_pred_f) + 1)\n",
        triggeringLosses: [], passingLosses: []
    )
}

/// LD603: the loss raises when first called in its framework. What Python or the framework raises is the fact
/// (`InterpreterError(.pythonError, ...)` at the raise, or an executed run's exception); how it reads as a finding
/// is written here, as is how every error raised while evaluating a loss reads (`RaisedErrorRule`).
struct PythonErrorRule: RaisedErrorRule {
    var description: RuleDescription { .pythonError }
    var raises: InterpreterError.Kind { .pythonError }

    func check(_ evidence: Evidence) -> [Finding] { recovered(evidence) + raisedFindings(evidence) }

    /// A file in which no loss was found (or none named `function`); `metrics` are functions left out as named like metrics.
    func noLoss(in file: String, named function: String?, metrics: [String]) -> Finding {
        var reason = function.map { "no loss named `\($0)` in \(file)" }
            ?? "no loss function found in \(file): LossDoctor looks for functions of two tensors (Keras `(y_true, y_pred)`, PyTorch `(input, target)`) and classes with `forward`/`call`"
        var fix = "Name the loss with --function, or check a file that defines one."
        if function == nil, let first = metrics.first {
            let names = metrics.map { "`\($0)`" }.joined(separator: ", ")
            reason += "; \(names) \(metrics.count == 1 ? "is named" : "are named") like a metric (score, coefficient, accuracy), and a metric is checked only when the file uses it as a loss (`compile(loss=\(first))`)"
            fix = "If `\(first)` is your loss, check it with --function \(first) (a metric minimised as a loss makes the masks worse); else name the loss with --function."
        }
        return finding(reason, site: SourceSite(file: file, line: 1, column: 1), fix: fix)
    }

    /// A folder among the paths checked that cannot be listed, and why.
    func unreadableFolder(_ path: String, reason: String) -> Finding {
        finding("cannot read the folder \(path): \(reason)", site: SourceSite(file: path, line: 1, column: 1),
                fix: "Make the folder readable, or leave it out of the paths checked.")
    }

    /// `check --execute` could not run `python` on the file at all.
    func executionFailed(_ file: String, python: String, error: String) -> Finding {
        finding("executing the file failed: \(error)", site: SourceSite(file: file, line: 1, column: 1),
                fix: "Check that '\(python)' runs and can import the loss's framework, or check without --execute.")
    }

    /// The user's code raised when `check --execute` ran it: on `probe`, or on importing the file when nil.
    func raisedWhenExecuted(_ failure: ProbeFailure, probe: String?, file: String) -> Finding {
        description.finding("your code raised \(failure.message)", probe: probe, site: failure.site ?? SourceSite(file: file, line: 1, column: 1),
                fix: "Fix the error at its line; LossDoctor ran your code with --execute.")
    }

    /// Calls that raise in the framework but whose intent is clear: the interpreter went on as intended and noted them.
    private func recovered(_ evidence: Evidence) -> [Finding] {
        evidence.sourceFacts.compactMap { fact in
            switch fact.kind {
            case .scalarOfTensor(let api, let shape):
                return finding("`\(api)` of a tensor with more than one element raises at the first call (shape \(Tensor.describe(shape)) on the first probe)", at: fact,
                               notes: ["TensorFlow eager: `TypeError: only 0-dimensional arrays can be converted to Python scalars`; inside model.fit: `TypeError: float() argument must be a string or a real number, not 'SymbolicTensor'`",
                                       "PyTorch: `ValueError: only one element tensors can be converted to Python scalars`",
                                       "LossDoctor goes on as if it were a cast to float32 (`K.cast(x, 'float32')`, `x.float()`)"],
                               fix: "Change the type with the framework's cast (`K.cast(x, 'float32')`, `tf.cast(x, tf.float32)`, `x.float()`); `\(api)` makes a Python number.")
            case .numpyOfGradientTensor:
                return finding("`.numpy()` of a tensor that requires grad raises in PyTorch", at: fact,
                               notes: ["PyTorch: `RuntimeError: Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.`",
                                       "LossDoctor goes on as if `.detach().numpy()` had been written: the result carries no gradient"])
            default:
                return nil
            }
        }
    }
}

/// A rule that reports an error raised while evaluating a loss: LD603 (what Python or the framework would raise)
/// and LD901-LD903 (where LossDoctor's interpreter stops). The raised text, its place and its hint are the fact,
/// made where the error is raised; the finding is worded here, alike for the four.
protocol RaisedErrorRule: Rule {
    /// The errors it reports.
    var raises: InterpreterError.Kind { get }
}

extension RaisedErrorRule {
    /// The probes that raised this rule's errors, one finding per distinct place and message: the raised text, how
    /// many of the probes raised it and the first, and the error's hint as the fix.
    func raisedFindings(_ evidence: Evidence) -> [Finding] {
        var seen = Set<String>()
        let failures = evidence.failures.filter { $0.kind == raises && seen.insert("\($0.site.map { "\($0.line):\($0.column)" } ?? "")|\($0.message)").inserted }
        let total = evidence.observations.count + evidence.failures.count
        return failures.map { failure in
            let count = evidence.failures.filter { $0.message == failure.message }.count
            return description.finding(failure.message,
                           notes: ["raised on \(count) of \(total) probes, first on \(failure.probe)\(count == total ? ": the loss could not be analysed" : "")"],
                           probe: failure.probe, site: failure.site, fix: failure.hint)
        }
    }

    /// An error raised before any probe (reading, parsing or running the file, finding its losses): the raised text at its place.
    func finding(raised error: InterpreterError) -> Finding {
        finding(error.message, site: error.site, fix: error.hint)
    }
}

extension InterpreterError.Kind {
    /// The rule that reports errors of this kind.
    var rule: any RaisedErrorRule {
        switch self {
        case .pythonError: PythonErrorRule()
        case .unsupportedSyntax: UnsupportedSyntaxRule()
        case .unsupportedCall: UnsupportedCallRule()
        case .limit: ResourceLimitRule()
        }
    }
}
