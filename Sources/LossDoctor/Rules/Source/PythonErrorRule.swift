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

/// LD603: the loss raises when first called in its framework.
struct PythonErrorRule: Rule {
    var description: RuleDescription { .pythonError }

    func check(_ evidence: Evidence) -> [Finding] { diagnosticFindings(evidence) + failureFindings(evidence) }
}
