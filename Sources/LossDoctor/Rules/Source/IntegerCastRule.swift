extension RuleDescription {
    static let integerCast = RuleDescription(
        code: "LD602", name: "integer-cast", severity: .error,
        summary: "Flags a mask or prediction cast to an integer type inside the loss.",
        rationale: "An integer cast cuts the gradient (TensorFlow `None`, PyTorch no graph) and truncates probabilities to 0; with uint8, sums over a mask wrap at 256.",
        detection: "A cast (`K.cast`, `tf.cast`, `.long()`, `.int()`, `.astype`) to an integer type of a floating-point tensor or of a tensor computed from the prediction.",
        fix: "Cast to float32 (`K.cast(x, 'float32')`, `x.float()`), or keep the tensor as it is.",
        example: "from keras import backend as K\n\ndef dice_loss(y_true, y_pred):\n    y_pred = K.cast(y_pred, 'int32')\n    i = K.sum(y_true * y_pred)\n    return 1 - (2 * i + 1) / (K.sum(y_true) + K.sum(y_pred) + 1)\n",
        useInstead: "from keras import backend as K\n\ndef dice_loss(y_true, y_pred):\n    y_true = K.cast(y_true, 'float32')\n    i = K.sum(y_true * y_pred)\n    return 1 - (2 * i + 1) / (K.sum(y_true) + K.sum(y_pred) + 1)\n",
        triggeringLosses: [], passingLosses: []
    )
}

/// LD602: a mask or prediction cast to an integer type inside the loss.
struct IntegerCastRule: Rule {
    var reads: RuleInput { .source }
    var description: RuleDescription { .integerCast }

    /// The interpreter notes each integer cast of a tensor the loss computes with (`Common.cast`); a class-index
    /// target cast to `long` for `one_hot` is not one.
    func check(_ evidence: Evidence) -> [Finding] {
        evidence.sourceFacts.compactMap { fact in
            guard case .integerCast(let type) = fact.kind else { return nil }
            return finding("a tensor is cast to \(type.rawValue) inside the loss", at: fact,
                           notes: ["the cast cuts the gradient (TensorFlow: `None`; PyTorch: no graph)",
                                   type == .uint8 ? "uint8 values wrap at 256: sums of masks overflow" : "integer arithmetic truncates: divisions round toward zero"])
        }
    }
}
