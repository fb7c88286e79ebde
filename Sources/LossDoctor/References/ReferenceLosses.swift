/// The reference set: every built-in loss, healthy ones first, then the known-broken variants.
/// `expected` is the exact set of rule codes each must produce; a test holds them to it.
enum ReferenceLosses {
    typealias M = LossMath

    static let all: [ReferenceLoss] = healthy + broken + multiClass

    /// Looks a built-in up by name.
    static func named(_ name: String) -> ReferenceLoss? { all.first { $0.name == name } }

    /// The built-in a mistyped name probably meant, for "did you mean".
    static func closestName(to name: String) -> String? { Suggestion.closest(to: name, among: all.map(\.name)) }

    static let healthy: [ReferenceLoss] = [
        ReferenceLoss(
            name: "bce", summary: "binary cross-entropy on probabilities, Keras style",
            formula: "mean(-(y log p + (1 - y) log(1 - p))), p clipped to [1e-7, 1 - 1e-7]", domain: .probabilities,
            source: "keras.losses.binary_crossentropy", expected: []
        ) { y, p throws(EngineError) in try M.kerasBinaryCrossEntropy(y, p).mean() },
        ReferenceLoss(
            name: "bce-logits", summary: "binary cross-entropy on logits, numerically stable",
            formula: "mean(softplus(z) - y z)", domain: .logits,
            source: "torch.nn.BCEWithLogitsLoss, tf.nn.sigmoid_cross_entropy_with_logits", expected: []
        ) { y, z throws(EngineError) in try M.binaryCrossEntropyWithLogits(y, z).mean() },
        ReferenceLoss(
            name: "soft-dice", summary: "soft Dice per sample, smooth 1 in numerator and denominator",
            formula: "mean_samples(1 - (2I + 1) / (Σy + Σp + 1))", domain: .probabilities,
            source: "common Keras/PyTorch form (Milletari et al. 2016, V-Net)", expected: [.scaleVsReference]
        ) { y, p throws(EngineError) in try M.softDice(y, p) },
        ReferenceLoss(
            name: "iou", summary: "soft Jaccard (IoU) per sample, smooth 1",
            formula: "mean_samples(1 - (I + 1) / (Σy + Σp - I + 1))", domain: .probabilities,
            source: "Rahman & Wang 2016; smp JaccardLoss", expected: [.scaleVsReference]
        ) { y, p throws(EngineError) in
            let o = try M.perSample(y, p)
            return try (1 - (o.intersection + 1) / (o.targetSum + o.predictionSum - o.intersection + 1)).mean()
        },
        ReferenceLoss(
            name: "tversky", summary: "Tversky loss per sample, alpha 0.3 (false positives), beta 0.7 (false negatives)",
            formula: "mean_samples(1 - (I + 1) / (I + 0.3 FP + 0.7 FN + 1))", domain: .probabilities,
            source: "Salehi et al. 2017; monai.losses.TverskyLoss", expected: [.scaleVsReference]
        ) { y, p throws(EngineError) in try (1 - M.tverskyIndex(y, p)).mean() },
        ReferenceLoss(
            name: "focal-tversky", summary: "focal Tversky: (1 - Tversky index) to the power 4/3",
            formula: "mean_samples((1 - TI)^(4/3)), TI with alpha 0.3, beta 0.7", domain: .probabilities,
            source: "Abraham & Khan 2019 (gamma = 4/3 in the exponent 1/gamma convention)", expected: [.scaleVsReference]
        ) { y, p throws(EngineError) in try (1 - M.tverskyIndex(y, p)).pow(Tensor(4.0 / 3.0)).mean() },
        ReferenceLoss(
            name: "focal", summary: "binary focal cross-entropy, alpha 0.25, gamma 2",
            formula: "mean(w (1 - p_t)^2 bce), w = 0.25 y + 0.75 (1 - y)", domain: .probabilities,
            source: "keras.losses.binary_focal_crossentropy(apply_class_balancing=True); Lin et al. 2017",
            expected: []
        ) { y, p throws(EngineError) in try M.focal(y, p) },
        ReferenceLoss(
            name: "generalized-dice", summary: "generalized Dice over background and foreground, weights 1/(Σg)²",
            formula: "mean_samples(1 - (2 Σc wc Ic + 1e-5) / (Σc wc (Σg + Σp)c + 1e-5))", domain: .probabilities,
            source: "monai.losses.GeneralizedDiceLoss (Sudre et al. 2017)", expected: [.scaleVsReference]
        ) { y, p throws(EngineError) in try M.generalizedDice(y, p) },
        ReferenceLoss(
            name: "log-cosh-dice", summary: "log(cosh(soft Dice loss)), per sample",
            formula: "mean_samples(log((e^d + e^-d) / 2)), d = soft Dice loss", domain: .probabilities,
            source: "Jadon 2020, A survey of loss functions for semantic segmentation", expected: [.scaleVsReference]
        ) { y, p throws(EngineError) in
            let d = try 1 - M.perSample(y, p).dice(smooth: 1)
            return try ((d.exp() + (-d).exp()) / 2).log().mean()
        },
        ReferenceLoss(
            name: "dice-bce", summary: "BCE plus soft Dice",
            formula: "bce + soft-dice", domain: .probabilities,
            source: "common combination (e.g. smp, Kaggle)", expected: []
        ) { y, p throws(EngineError) in try M.kerasBinaryCrossEntropy(y, p).mean() + M.softDice(y, p) },
    ]

    static let broken: [ReferenceLoss] = [
        ReferenceLoss(
            name: "dice-floor", summary: "the seed's Dice: floor division `//` instead of `/`",
            formula: "1 - (2I + 1) // (Σy + Σp + 1), pooled over the batch (K.flatten)", domain: .probabilities,
            source: "datascience.stackexchange.com question 80180", expected: [.floorDivision, .piecewiseConstant, .scaleVsReference, .stalledTraining, .misleadingAccuracy]
        ) { y, p throws(EngineError) in
            let o = try M.pooled(y, p)
            return try 1 - (2 * o.intersection + 1).floorDivided(by: o.targetSum + o.predictionSum + 1)
        },
        ReferenceLoss(
            name: "dice-no-smooth", summary: "Dice without smoothing: 0/0 on an empty mask predicted empty",
            formula: "mean_samples(1 - 2I / (Σy + Σp))", domain: .probabilities,
            source: "common mistake", expected: [.nonFinite, .scaleVsReference]
        ) { y, p throws(EngineError) in try (1 - M.perSample(y, p).dice(smooth: 0)).mean() },
        ReferenceLoss(
            name: "dice-eps-denominator", summary: "Keras 3 Dice: epsilon only in the denominator, pooled",
            formula: "1 - 2I / (Σy + Σp + 1e-7), axis=None", domain: .probabilities,
            source: "keras.losses.Dice (keras/src/losses/losses.py)", expected: [.emptyTargetPenalized, .batchPooled, .scaleVsReference]
        ) { y, p throws(EngineError) in
            let o = try M.pooled(y, p)
            return try 1 - 2 * o.intersection / (o.targetSum + o.predictionSum + Tensor(M.kerasEpsilon))
        },
        ReferenceLoss(
            name: "dice-coef", summary: "returns the Dice coefficient instead of 1 - Dice",
            formula: "mean_samples((2I + 1) / (Σy + Σp + 1))", domain: .probabilities,
            source: "common mistake: `loss=dice_coef`", expected: [.wrongDirection, .scaleVsReference, .failsToLearn]
        ) { y, p throws(EngineError) in try M.perSample(y, p).dice(smooth: 1).mean() },
        ReferenceLoss(
            name: "dice-round", summary: "Dice on rounded predictions",
            formula: "soft-dice(y, round(p))", domain: .probabilities,
            source: "common mistake: hard Dice used as a loss", expected: [.zeroGradient, .piecewiseConstant, .scaleVsReference, .stalledTraining, .misleadingAccuracy]
        ) { y, p throws(EngineError) in try M.softDice(y, p.rounded()) },
        ReferenceLoss(
            name: "dice-threshold", summary: "Dice on thresholded predictions `cast(p > 0.5)`",
            formula: "soft-dice(y, cast(p > 0.5, float32))", domain: .probabilities,
            source: "common mistake: metric used as a loss", expected: [.noGradient, .piecewiseConstant, .scaleVsReference, .stalledTraining, .misleadingAccuracy]
        ) { y, p throws(EngineError) in try M.softDice(y, p.compare(.greater, 0.5).cast(.float32)) },
        ReferenceLoss(
            name: "bce-plus-dice-floor", summary: "BCE plus the seed's floor-divided Dice: the Dice term is dead",
            formula: "bce + dice-floor", domain: .probabilities,
            source: "the seed's loss combined with BCE", expected: [.floorDivision, .deadTerm]
        ) { y, p throws(EngineError) in
            let o = try M.pooled(y, p)
            let diceFloor = try 1 - (2 * o.intersection + 1).floorDivided(by: o.targetSum + o.predictionSum + 1)
            return try M.kerasBinaryCrossEntropy(y, p).mean() + diceFloor
        },
        ReferenceLoss(
            name: "batch-dice", summary: "soft Dice pooled over the whole batch",
            formula: "1 - (2I + 1) / (Σy + Σp + 1), sums over batch and pixels", domain: .probabilities,
            source: "smp DiceLoss and MONAI DiceLoss(batch=True) pool this way", expected: [.batchPooled, .scaleVsReference]
        ) { y, p throws(EngineError) in try 1 - M.pooled(y, p).dice(smooth: 1) },
        ReferenceLoss(
            name: "bce-sum", summary: "BCE summed over pixels and batch instead of averaged",
            formula: "Σ -(y log p + (1 - y) log(1 - p)), clipped", domain: .probabilities,
            source: "reduction='sum'", expected: [.batchDependentScale, .resolutionDependentScale, .scaleVsReference]
        ) { y, p throws(EngineError) in try M.kerasBinaryCrossEntropy(y, p).sum() },
        ReferenceLoss(
            name: "bce-no-clip", summary: "hand-written BCE without epsilon or clipping",
            formula: "mean(-(y log p + (1 - y) log(1 - p)))", domain: .probabilities,
            source: "common mistake", expected: [.nonFinite, .unguardedLog]
        ) { y, p throws(EngineError) in try (-(y * p.log() + (1 - y) * (1 - p).log())).mean() },
        ReferenceLoss(
            name: "double-sigmoid", summary: "BCE that applies a sigmoid to probabilities again",
            formula: "bce(y, sigmoid(p))", domain: .probabilities,
            source: "common mistake: sigmoid output layer plus a logits loss",
            expected: [.trivialSolution, .inputDomain, .scaleVsReference, .misleadingAccuracy, .collapseToBackground]
        ) { y, p throws(EngineError) in try M.kerasBinaryCrossEntropy(y, p.sigmoid()).mean() },
        ReferenceLoss(
            name: "mse-logits", summary: "mean squared error of sigmoid(logits): saturates when confidently wrong",
            formula: "mean((sigmoid(z) - y)^2)", domain: .logits,
            source: "common mistake", expected: [.vanishingGradient, .trivialSolution, .scaleVsReference]
        ) { y, z throws(EngineError) in try (z.sigmoid() - y).squared().mean() },
        ReferenceLoss(
            name: "dice-large-smooth", summary: "soft Dice with smooth 100: tiny objects barely count",
            formula: "mean_samples(1 - (2I + 100) / (Σy + Σp + 100))", domain: .probabilities,
            source: "common mistake: smoothing tuned on large objects", expected: [.smoothingDominates, .scaleVsReference, .slowTraining]
        ) { y, p throws(EngineError) in try M.softDice(y, p, smooth: 100) },
        ReferenceLoss(
            name: "bce-swapped", summary: "Keras BCE called as bce(y_pred, y_true)",
            formula: "mean(-(p log y + (1 - p) log(1 - y))), y clipped", domain: .probabilities,
            source: "common mistake: PyTorch (input, target) order in Keras",
            expected: [.trivialSolution, .argumentOrder, .misleadingAccuracy, .collapseToBackground]
        ) { y, p throws(EngineError) in try M.kerasBinaryCrossEntropy(p, y).mean() },
        ReferenceLoss(
            name: "focal-tversky-075", summary: "focal Tversky with the paper's exponent 0.75",
            formula: "mean_samples((1 - TI)^0.75)", domain: .probabilities,
            source: "Abraham & Khan 2019; gradient NaN at a perfect prediction measured in PyTorch",
            expected: [.nonFinite, .scaleVsReference]
        ) { y, p throws(EngineError) in try (1 - M.tverskyIndex(y, p)).pow(0.75).mean() },
        ReferenceLoss(
            name: "mse", summary: "mean squared error on probabilities",
            formula: "mean((p - y)^2)", domain: .probabilities,
            source: "regression loss used for segmentation", expected: [.trivialSolution, .scaleVsReference]
        ) { y, p throws(EngineError) in try (p - y).squared().mean() },
        ReferenceLoss(
            name: "dice-detach", summary: "soft Dice on a detached prediction",
            formula: "soft-dice(y, stop_gradient(p))", domain: .probabilities,
            source: "common mistake: `.detach()` / `tf.stop_gradient` left in",
            expected: [.graphBreak, .scaleVsReference, .stalledTraining, .misleadingAccuracy]
        ) { y, p throws(EngineError) in try M.softDice(y, p.stopGradient()) },
        ReferenceLoss(
            name: "bce-sigmoid-logits", summary: "Keras BCE on sigmoid(logits) computed inside the loss",
            formula: "bce(y, sigmoid(z))", domain: .logits,
            source: "common mistake: instead of from_logits=True", expected: [.float32Saturation]
        ) { y, z throws(EngineError) in try M.kerasBinaryCrossEntropy(y, z.sigmoid()).mean() },
        ReferenceLoss(
            name: "bce-sign-error", summary: "BCE with a sign error on the background term",
            formula: "mean(-(y log p - (1 - y) log(1 - p))), clipped", domain: .probabilities,
            source: "common typo", expected: [.minimumOffTarget, .negativeRange, .slowTraining]
        ) { y, p throws(EngineError) in
            let c = try p.clipped(M.kerasEpsilon, 1 - M.kerasEpsilon)
            return try (-(y * c.log() - (1 - y) * (1 - c).log())).mean()
        },
        ReferenceLoss(
            name: "dice-channel-axis", summary: "soft Dice reduced over the channel axis only: a Dice per pixel",
            formula: "mean(1 - (2 y p + 1) / (y + p + 1)), sums over axis=-1 of extent 1", domain: .probabilities,
            source: "common mistake: axis=-1 on one-channel masks",
            expected: [.trivialSolution, .degenerateReduction, .scaleVsReference, .misleadingAccuracy, .collapseToBackground]
        ) { y, p throws(EngineError) in try (1 - M.Overlap(y, p, axes: [-1]).dice(smooth: 1)).mean() },
        ReferenceLoss(
            name: "focal-times-gamma", summary: "focal loss with `* gamma` written for `** gamma`: 2 x BCE",
            formula: "mean(gamma bce), gamma 2 (the factor (1 - p_t)^gamma lost)", domain: .probabilities,
            source: "typo; the example of rule LD310", expected: [.referenceMismatch]
        ) { y, p throws(EngineError) in try (2 * M.kerasBinaryCrossEntropy(y, p)).mean() },
        ReferenceLoss(
            name: "neg-dice", summary: "negative Dice coefficient",
            formula: "-mean_samples((2I + 1) / (Σy + Σp + 1))", domain: .probabilities,
            source: "a common, valid form", expected: [.negativeRange, .scaleVsReference]
        ) { y, p throws(EngineError) in try -M.perSample(y, p).dice(smooth: 1).mean() },
        ReferenceLoss(
            name: "dice-per-sample", summary: "soft Dice returned per sample, not averaged",
            formula: "1 - (2I + 1) / (Σy + Σp + 1), shape (batch,)", domain: .probabilities,
            source: "Keras reduces it by its mean", expected: [.outputShape, .scaleVsReference]
        ) { y, p throws(EngineError) in try 1 - M.perSample(y, p).dice(smooth: 1) },
    ]
}
