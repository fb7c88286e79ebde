/// Building blocks of the reference losses, each as the named library computes it.
enum LossMath {
    /// `keras.config.epsilon()`.
    static let kerasEpsilon: Float = 1e-7

    /// Axes of one sample (all but the batch axis).
    static func sampleAxes(_ t: Tensor) -> [Int] { Array(1..<t.shape.count) }

    /// Keras `binary_crossentropy` on probabilities, per element: clips to [eps, 1 - eps], then
    /// -(y log p + (1 - y) log(1 - p)). [keras/src/backend/tensorflow/nn.py]
    static func kerasBinaryCrossEntropy(_ y: Tensor, _ p: Tensor) throws(EngineError) -> Tensor {
        let clipped = try p.clipped(kerasEpsilon, 1 - kerasEpsilon)
        return try -(y * clipped.log() + (1 - y) * (1 - clipped).log())
    }

    /// `F.binary_cross_entropy_with_logits`, per element: softplus(z) - y z, stable for any z; its gradient is
    /// sigmoid(z) - y, as PyTorch's backward computes it (0 at z = 20, y = 1, where float32 sigmoid is 1).
    static func binaryCrossEntropyWithLogits(_ y: Tensor, _ z: Tensor) throws(EngineError) -> Tensor {
        try z.softplus() - y * z
    }

    /// `tf.nn.sigmoid_cross_entropy_with_logits` (and Keras' `from_logits=True` on TensorFlow), per element, as
    /// TensorFlow writes it: log1p(exp(-|z|)) + (relu(z) - y z). At saturation it keeps what softplus(z) - y z
    /// rounds away: 2.06e-9 at z = 20, y = 1, and a gradient of -1.1254e-7 at z = 16 (sigmoid(z) - y in float32
    /// gives -1.1921e-7, 6 % off). The log1p term is computed first so that its gradient is added last, after
    /// relu's 1 and the target's -1 have cancelled exactly. [tensorflow/python/ops/nn_impl.py; TensorFlow 2.21]
    static func tensorFlowBinaryCrossEntropyWithLogits(_ y: Tensor, _ z: Tensor) throws(EngineError) -> Tensor {
        let tail = try (-z.abs()).softplus()
        return try tail + (Tensor.maximum(z, 0) - z * y)
    }

    /// `tf.keras.backend.binary_crossentropy` on probabilities (TensorFlow's legacy Keras backend, what
    /// `from tensorflow.keras import backend as K` gives): clips to [eps, 1 - eps] and adds eps inside both logs,
    /// -(y log(p + eps) + (1 - y) log(1 - p + eps)): 15.42 for a confident mistake where Keras 3's
    /// `ops.binary_crossentropy` gives 16.12, and 0 (not 1.19e-7) at a perfect hard prediction.
    /// [keras/src/legacy/backend.py; measured with TensorFlow 2.21, Keras 3.15]
    static func legacyKerasBinaryCrossEntropy(_ y: Tensor, _ p: Tensor) throws(EngineError) -> Tensor {
        let clipped = try p.clipped(kerasEpsilon, 1 - kerasEpsilon)
        let eps = Tensor(kerasEpsilon)
        return try -(y * (clipped + eps).log() + (1 - y) * (1 - clipped + eps).log())
    }

    /// Sums of a binary confusion, per sample: intersection, target and prediction sums, FP and FN.
    struct Overlap {
        let intersection: Tensor, targetSum: Tensor, predictionSum: Tensor

        init(_ y: Tensor, _ p: Tensor, axes: [Int]?) throws(EngineError) {
            intersection = try (y * p).sum(axes: axes)
            targetSum = try y.sum(axes: axes)
            predictionSum = try p.sum(axes: axes)
        }

        var falsePositives: Tensor { get throws(EngineError) { try predictionSum - intersection } }
        var falseNegatives: Tensor { get throws(EngineError) { try targetSum - intersection } }

        /// (2I + s) / (Σy + Σp + s).
        func dice(smooth: Tensor) throws(EngineError) -> Tensor {
            try (2 * intersection + smooth) / (targetSum + predictionSum + smooth)
        }

        /// (I + s) / (I + α FP + β FN + s).
        func tversky(alpha: Tensor, beta: Tensor, smooth: Tensor) throws(EngineError) -> Tensor {
            try (intersection + smooth) / (intersection + alpha * falsePositives + beta * falseNegatives + smooth)
        }
    }

    /// Per-sample overlap sums.
    static func perSample(_ y: Tensor, _ p: Tensor) throws(EngineError) -> Overlap {
        try Overlap(y, p, axes: sampleAxes(y))
    }

    /// Overlap sums pooled over the whole batch (`K.flatten`, Keras `Dice(axis=None)`).
    static func pooled(_ y: Tensor, _ p: Tensor) throws(EngineError) -> Overlap {
        try Overlap(y, p, axes: nil)
    }

    /// Soft Dice loss per sample with smoothing in numerator and denominator.
    static func softDice(_ y: Tensor, _ p: Tensor, smooth: Tensor = 1) throws(EngineError) -> Tensor {
        try (1 - perSample(y, p).dice(smooth: smooth)).mean()
    }

    /// Tversky index per sample (α weights false positives, β false negatives, as in MONAI).
    static func tverskyIndex(_ y: Tensor, _ p: Tensor, alpha: Tensor = 0.3, beta: Tensor = 0.7) throws(EngineError) -> Tensor {
        try perSample(y, p).tversky(alpha: alpha, beta: beta, smooth: 1)
    }

    /// Keras `binary_focal_crossentropy(apply_class_balancing=True, alpha, gamma)`, mean over elements; `alpha`
    /// nil: without class balancing (`apply_class_balancing=False`, Lin et al.'s focal loss with α = 1).
    static func focal(_ y: Tensor, _ p: Tensor, alpha: Float? = 0.25, gamma: Float = 2) throws(EngineError) -> Tensor {
        let bce = try kerasBinaryCrossEntropy(y, p)
        let pT = try y * p + (1 - y) * (1 - p)
        guard let alpha else { return try ((1 - pT).pow(Tensor(gamma)) * bce).mean() }
        let weight = try y * Tensor(alpha) + (1 - y) * Tensor(1 - alpha)
        return try (weight * (1 - pT).pow(Tensor(gamma)) * bce).mean()
    }

    /// MONAI `GeneralizedDiceLoss` over background and foreground channels: class weights 1/(Σg)²,
    /// an absent class (infinite weight) gets the sample's largest finite weight; smooth 1e-5.
    /// [monai/losses/dice.py]
    static func generalizedDice(_ y: Tensor, _ p: Tensor) throws(EngineError) -> Tensor {
        let channel = y.shape.count - 1
        let y2 = try Tensor.concat([1 - y, y], axis: channel)
        let p2 = try Tensor.concat([1 - p, p], axis: channel)
        let spatial = Array(1..<channel)
        let overlap = try Overlap(y2, p2, axes: spatial)  // (batch, classes)
        let raw = try 1 / (overlap.targetSum * overlap.targetSum)
        let absent = try raw.compare(.equal, Tensor(.infinity)).cast(.float32)
        let finite = try Tensor.select(absent, 0, raw)
        let weights = try finite + absent * finite.max(axes: [-1], keepDims: true)
        let numerator = try 2 * (overlap.intersection * weights).sum(axes: [-1]) + 1e-5
        let denominator = try ((overlap.targetSum + overlap.predictionSum) * weights).sum(axes: [-1]) + 1e-5
        return try (1 - numerator / denominator).mean()
    }
}
