extension RuleDescription {
    static let tensorTruthiness = RuleDescription(
        code: "LD604", name: "tensor-truthiness", severity: .error,
        summary: "Flags a Python `if`, `while`, `and`, `or` or `not` applied to a tensor.",
        rationale: "TensorFlow refuses it inside `model.fit` (graph mode): `OperatorNotAllowedInGraphError: using a tf.Tensor as a Python bool is not allowed`. PyTorch raises `Boolean value of Tensor with more than one value is ambiguous` for several elements; for one, the branch is taken once per call and carries no gradient.",
        detection: "The interpreter needed the truth value of a tensor. It goes on with \"all elements non-zero\".",
        fix: "Use the framework's elementwise `where` (`tf.where`, `K.switch`, `torch.where`) instead of a Python branch.",
        example: "import tensorflow as tf\n\ndef dice_loss(y_true, y_pred):\n    s = tf.reduce_sum(y_true)\n    if s == 0:\n        return tf.reduce_mean(y_pred)\n    return 1 - 2 * tf.reduce_sum(y_true * y_pred) / (s + tf.reduce_sum(y_pred))\n",
        useInstead: "import tensorflow as tf\n\ndef dice_loss(y_true, y_pred):\n    s = tf.reduce_sum(y_true)\n    return 1 - (2 * tf.reduce_sum(y_true * y_pred) + 1) / (s + tf.reduce_sum(y_pred) + 1)\n",
        triggeringLosses: [], passingLosses: []
    )
}

/// LD604: a Python `if`/`while`/`and`/`or`/`not` on a tensor.
struct TensorTruthinessRule: Rule {
    var description: RuleDescription { .tensorTruthiness }

    func check(_ evidence: Evidence) -> [Finding] { diagnosticFindings(evidence) }
}
