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

    /// The interpreter notes each tensor it needs the truth value of (`Interpreter.truthy`); an executed run notes
    /// where tracing the loss as `model.fit` does raised.
    func check(_ evidence: Evidence) -> [Finding] {
        evidence.sourceFacts.compactMap { fact in
            switch fact.kind {
            case .tensorAsBool(let shape, let eager):
                // Eager PyTorch and NumPy evaluate `if t.any():` on one element (it only breaks `torch.compile`
                // graphs): info there. TensorFlow/Keras graph mode refuses any tensor; more than one element raises everywhere.
                let count = shape.reduce(1, *)
                if count == 1 && eager {
                    return finding("a one-element tensor is used as a Python bool: valid in eager PyTorch and NumPy", at: fact, severity: .info,
                                   notes: ["PyTorch 2.15 eager: `if t.any():` works; under `torch.compile` it is a graph break, and the branch carries no gradient",
                                           "TensorFlow graph mode (model.fit) would refuse it: `OperatorNotAllowedInGraphError`"],
                                   fix: "Nothing to do for eager PyTorch; for `torch.compile` or TensorFlow, select with `torch.where` / `tf.where` instead of branching.")
                }
                return finding("a tensor of shape \(Tensor.describe(shape)) is used as a Python bool", at: fact,
                               notes: ["TensorFlow (graph mode, model.fit): `OperatorNotAllowedInGraphError: using a tf.Tensor as a Python bool is not allowed`",
                                       count > 1 ? "PyTorch: `RuntimeError: Boolean value of Tensor with more than one value is ambiguous`" : "PyTorch: allowed for one element, but the branch is chosen once per call and carries no gradient"])
            case .tensorAsBoolWhenTraced(let raised):
                return finding("a tensor is used as a Python bool: tracing the loss as model.fit does raised OperatorNotAllowedInGraphError", at: fact,
                               notes: ["TensorFlow (tf.function without autograph, as model.fit calls a loss): \(raised)",
                                       "eagerly the branch runs, so the values and gradients here are eager ones"])
            default:
                return nil
            }
        }
    }
}
