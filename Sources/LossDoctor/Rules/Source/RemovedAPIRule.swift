extension RuleDescription {
    static let removedAPI = RuleDescription(
        code: "LD601", name: "removed-api", severity: .warning,
        summary: "Flags an API removed or renamed in current frameworks (`tf.log`, Keras 3's missing `keras.backend.flatten`, `np.bool`).",
        rationale: "The loss fails with an `AttributeError` as soon as the environment is upgraded, often in CI or on a colleague's machine. LossDoctor evaluates it with its old meaning, so the other findings still hold.",
        detection: "A call or attribute resolves to a name in LossDoctor's table of removed APIs (TensorFlow 1 names, Keras 2 backend functions, NumPy aliases removed in 1.24).",
        fix: "Use the current name given in the message.",
        example: "import tensorflow as tf\n\ndef bce(y_true, y_pred):\n    p = tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)\n    return -tf.reduce_mean(y_true * tf.log(p) + (1 - y_true) * tf.log(1 - p))\n",
        useInstead: "import tensorflow as tf\n\ndef bce(y_true, y_pred):\n    p = tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)\n    return -tf.reduce_mean(y_true * tf.math.log(p) + (1 - y_true) * tf.math.log(1 - p))\n",
        triggeringLosses: [], passingLosses: []
    )
}

/// LD601: an API removed or renamed in current frameworks.
struct RemovedAPIRule: Rule {
    var reads: RuleInput { .source }
    var description: RuleDescription { .removedAPI }

    func check(_ evidence: Evidence) -> [Finding] { diagnosticFindings(evidence) }
}
