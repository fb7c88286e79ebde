/// The multi-class built-ins: softmax losses on one-hot targets `(N, H, W, C)` with C = 3 classes
/// (background as channel 0), channels-last, on logits. The healthy ones are the designs of MONAI,
/// smp and nnU-Net; the broken ones are the mistakes their users make.
extension ReferenceLosses {
    /// Class probabilities: the softmax over the channel axis.
    static func classProbabilities(_ z: Tensor) throws(EngineError) -> Tensor { try z.softmax(axis: -1) }

    /// Per-sample, per-class soft Dice `(N, C)`, smooth 1.
    static func classDice(_ y: Tensor, _ p: Tensor, smooth: Float = 1) throws(EngineError) -> Tensor {
        let intersection = try (y * p).sum(axes: [1, 2])
        let cardinality = try (y + p).sum(axes: [1, 2])
        return try (intersection * Tensor(2) + Tensor(smooth)) / (cardinality + Tensor(smooth))
    }

    /// Generalized Dice (Sudre et al. 2017, as monai.losses.GeneralizedDiceLoss): per sample, class weights
    /// 1 / (Σ g_c)²; a class absent from a sample takes the sample's largest finite weight (MONAI's rule).
    /// The weights depend on the target alone, so they are constants.
    static func generalizedDice(_ y: Tensor, _ p: Tensor) throws(EngineError) -> Tensor {
        let counts = try y.sum(axes: [1, 2])  // (N, C)
        let c = counts.shape[1]
        var weights = counts.scalars.map { $0 > 0 ? 1 / ($0 * $0) : Float.infinity }
        for s in 0..<counts.shape[0] {
            let row = weights[(s * c)..<((s + 1) * c)]
            let finiteMax = row.filter(\.isFinite).max() ?? 1
            for k in 0..<c where !weights[s * c + k].isFinite { weights[s * c + k] = finiteMax }
        }
        let w = Tensor(shape: counts.shape, scalars: weights)
        let intersection = try (w * (y * p).sum(axes: [1, 2])).sum(axes: [1])
        let cardinality = try (w * (y + p).sum(axes: [1, 2])).sum(axes: [1])
        let eps = Tensor(1e-5)
        return try (Tensor(1) - (intersection * Tensor(2) + eps) / (cardinality + eps)).mean()
    }

    /// Categorical cross-entropy on logits, averaged over pixels.
    static func categoricalCrossEntropy(_ y: Tensor, _ z: Tensor) throws(EngineError) -> Tensor {
        try -(y * z.logSoftmax(axis: -1)).sum(axes: [3]).mean()
    }

    /// Class indices `(N, H, W)` with `ignore_index` 255 one-hot encoded `(N, H, W, 3)`; 255 gives a zero row.
    static func indexOneHot(_ target: Tensor, classes: Int = 3) throws(EngineError) -> Tensor {
        try target.oneHot(depth: classes)
    }

    /// 1 where the target is a class, 0 where it is `ignore_index` 255, shaped `(N, H, W, 1)`.
    static func validPixels(_ target: Tensor) throws(EngineError) -> Tensor {
        try target.compare(.notEqual, Tensor(255)).cast(.float32).reshaped(target.shape + [1])
    }

    static let multiClass: [ReferenceLoss] = [
        ReferenceLoss(
            name: "softmax-dice", summary: "multi-class soft Dice on softmax(logits), per sample and class, classes averaged",
            formula: "1 - mean_samples,classes((2 I_c + 1) / (Σy_c + Σp_c + 1)), p = softmax(z) over channels", domain: .logits,
            source: "monai.losses.DiceLoss(softmax=True, to_onehot_y=True); smp DiceLoss(mode='multiclass')",
            // Probes healthy; trained without cross-entropy on small objects it drops every object class (LD504;
            // real PyTorch training too: final Dice 0, docs/simulation-validity.md).
            expected: [.vanishingGradient, .misleadingAccuracy, .collapseToBackground], target: .oneHot(classes: 3)
        ) { y, z throws(EngineError) in
            try Tensor(1) - classDice(y, classProbabilities(z)).mean()
        },
        ReferenceLoss(
            name: "generalized-dice-softmax", summary: "generalized Dice on softmax(logits), class weights 1/(Σg)², per sample",
            formula: "1 - (2 Σ_c w_c I_c + eps) / (Σ_c w_c (Σy_c + Σp_c) + eps), w_c = 1/(Σy_c)²", domain: .logits,
            source: "monai.losses.GeneralizedDiceLoss(softmax=True) (Sudre et al. 2017)",
            expected: [.vanishingGradient], target: .oneHot(classes: 3)
        ) { y, z throws(EngineError) in
            try generalizedDice(y, classProbabilities(z))
        },
        ReferenceLoss(
            name: "ce-dice", summary: "categorical cross-entropy plus multi-class soft Dice, on logits",
            formula: "CE(y, softmax(z)) + 1 - mean_samples,classes(Dice_c)", domain: .logits,
            source: "nnU-Net DC_and_CE_loss; monai.losses.DiceCELoss(softmax=True)",
            expected: [], target: .oneHot(classes: 3)
        ) { y, z throws(EngineError) in
            try categoricalCrossEntropy(y, z) + Tensor(1) - classDice(y, classProbabilities(z)).mean()
        },
        ReferenceLoss(
            name: "softmax-dice-pooled", summary: "multi-class Dice pooled over every class and pixel: background dominates",
            formula: "1 - (2 Σ y·p + 1) / (Σy + Σp + 1) over all axes, p = softmax(z)", domain: .logits,
            source: "common mistake: `torch.sum(probs * one_hot)` without `dim`",
            // LD106 stays a warning: pooled, the loss is no longer overlap-type (missing all foreground costs 1.6 %).
            // Trained, the model never predicts foreground (LD504; real PyTorch training too, docs/simulation-validity.md).
            expected: [.vanishingGradient, .trivialSolution, .classesPooled, .collapseToBackground, .misleadingAccuracy], target: .oneHot(classes: 3)
        ) { y, z throws(EngineError) in
            let p = try classProbabilities(z)
            return try Tensor(1) - ((y * p).sum() * Tensor(2) + Tensor(1)) / ((y + p).sum() + Tensor(1))
        },
        ReferenceLoss(
            name: "softmax-one-channel", summary: "soft Dice on softmax of a one-channel output: the constant 1",
            formula: "1 - mean_samples((2I + 1) / (Σy + Σp + 1)), p = softmax(z) over a channel axis of extent 1", domain: .logits,
            source: "common mistake: a softmax Dice copied to a binary (one-channel) model",
            // LD103, LD105, LD303 are consequences of LD311, folded into it; LD501 stays (the constant validation loss).
            expected: [.zeroGradient, .piecewiseConstant, .emptyTargetPenalized, .softmaxOneChannel, .stalledTraining, .misleadingAccuracy], target: .binary
        ) { y, z throws(EngineError) in
            try Tensor(1) - classDice(y, classProbabilities(z)).mean()
        },
        ReferenceLoss(
            name: "index-dice-ignore", summary: "multi-class soft Dice on class indices, pixels labelled 255 masked out",
            formula: "1 - mean_samples,classes(Dice_c) over valid pixels, y = one_hot(t), p = softmax(z)", domain: .logits,
            source: "smp DiceLoss(mode='multiclass', ignore_index=255)",
            // The softmax-dice run on class indices: the same collapse to background in training.
            expected: [.vanishingGradient, .misleadingAccuracy, .collapseToBackground], target: .classIndex(classes: 3, ignoreIndex: 255)
        ) { t, z throws(EngineError) in
            let valid = try validPixels(t)
            return try Tensor(1) - classDice(indexOneHot(t) * valid, classProbabilities(z) * valid).mean()
        },
        ReferenceLoss(
            name: "index-dice-ignore-leak", summary: "multi-class soft Dice on class indices that maps ignore_index 255 to background",
            formula: "1 - mean_samples,classes(Dice_c), y = one_hot(t with 255 -> 0), p = softmax(z)", domain: .logits,
            source: "common mistake: `target[target == 255] = 0` before `F.one_hot`",
            expected: [.vanishingGradient, .ignoreIndexLeak, .misleadingAccuracy, .collapseToBackground], target: .classIndex(classes: 3, ignoreIndex: 255)
        ) { t, z throws(EngineError) in
            let ignored = try t.compare(.equal, Tensor(255))
            let labels = try Tensor.select(ignored, Tensor(0, dtype: .int64), t)
            return try Tensor(1) - classDice(indexOneHot(labels), classProbabilities(z)).mean()
        },
    ]
}
