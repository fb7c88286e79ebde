/// segmentation_models.pytorch 0.6.0 losses (`segmentation_models_pytorch/losses/{dice,jaccard,tversky,
/// focal,soft_bce,soft_ce}.py` and `_functional.py`), modelled from their source: modes `binary`,
/// `multiclass` (class-index targets, one-hot encoded inside) and `multilabel`; logits by default
/// (`from_logits=True`, read through log-sigmoid or log-softmax then exp); scores pooled over the batch
/// and the pixels per class, classes without a true pixel contributing 0.
enum SegmentationModelsPyTorch {
    static func mode(_ args: Arguments) throws -> String {
        guard let mode = try args.string("mode"), ["binary", "multiclass", "multilabel"].contains(mode) else {
            throw args.call.error("AssertionError: mode must be 'binary', 'multiclass' or 'multilabel'")
        }
        return mode
    }

    static func optionalInt(_ args: Arguments, _ name: String) throws -> Int? { args.isNone(name) ? nil : try args.int(name) }

    /// Targets and predictions laid out as (N, C, pixels), the ignored pixels zeroed in both.
    static func layout(_ prediction: Tensor, _ target: Tensor, mode: String, ignore: Int?, call: Call) throws -> (Tensor, Tensor) {
        let batch = target.shape.first ?? 1
        guard prediction.shape.first == batch else { throw call.error("AssertionError: the batch sizes of y_true and y_pred differ") }
        let classes = prediction.shape.count > 1 ? prediction.shape[1] : 1
        switch mode {
        case "multiclass":
            let labels = try target.reshaped([batch, -1])
            let p = try prediction.reshaped([batch, classes, -1])
            guard !labels.dtype.isFloatingPoint else {
                throw call.error("RuntimeError: one_hot is only applicable to index tensor of type LongTensor.")
            }
            guard let ignore else {
                let encoded = try labels.oneHot(depth: classes).transposed([0, 2, 1])
                return (p, encoded)
            }
            let keep = try labels.compare(.notEqual, Tensor(Float(ignore))).cast(.float32)
            let encoded = try (labels * keep).cast(.int64).oneHot(depth: classes).transposed([0, 2, 1])
            let mask = try Common.expandDims(keep, axis: 1)
            return (try p * mask, try encoded * mask)
        default:
            let channels = mode == "binary" ? 1 : classes
            var (p, t) = (try prediction.reshaped([batch, channels, -1]), try target.reshaped([batch, channels, -1]))
            if let ignore {
                let keep = try t.compare(.notEqual, Tensor(Float(ignore))).cast(.float32)
                (p, t) = (try p * keep, try t * keep)
            }
            return (p, t)
        }
    }

    /// Tversky score per class over (batch, pixels), as `_functional.soft_tversky_score` writes it: the
    /// intersection from the sums and the L1 distance, the denominator clamped below at `eps`.
    static func tverskyScore(_ p: Tensor, _ t: Tensor, alpha: Float, beta: Float, smooth: Float, eps: Float) throws -> Tensor {
        let outputSum = try p.sum(axes: [0, 2]), targetSum = try t.sum(axes: [0, 2])
        let difference = try (p - t).abs().sum(axes: [0, 2])
        let intersection = try (outputSum + targetSum - difference) / 2
        let (fp, fn) = (try outputSum - intersection, try targetSum - intersection)
        let denominator = try (intersection + fp * Tensor(alpha) + fn * Tensor(beta) + Tensor(smooth)).clipped(eps, .infinity)
        return try (intersection + Tensor(smooth)) / denominator
    }

    /// DiceLoss, JaccardLoss and TverskyLoss share one forward: activation, layout, score, empty classes zeroed.
    /// `smoothing` scales `smooth` and the denominator's `eps` inside the score: pytorch-toolbelt's Dice,
    /// (2I + s) / max(Σp + Σg + s, eps), is the Tversky form with s/2 and eps/2.
    static func region(alpha fixedAlpha: Float?, beta fixedBeta: Float?, constructor: String, smoothing: Float = 1) -> BuiltinFunction {
        Common.lossClass(constructor) { call in
            let args = try call.bind("y_pred, y_true, " + constructor)
            let mode = try mode(args)
            var prediction = try args.tensor("y_pred")
            let target = try args.tensor("y_true")
            if try args.bool("from_logits") {
                call.interpreter.noteLogitsInput(prediction, at: call.site)
                prediction = mode == "multiclass" ? try prediction.logSoftmax(axis: 1).exp() : try prediction.logSigmoid().exp()
            }
            let (p, t) = try layout(prediction, target, mode: mode, ignore: optionalInt(args, "ignore_index"), call: call)
            let eps = try args.float("eps")
            let alpha = try fixedAlpha ?? args.float("alpha"), beta = try fixedBeta ?? args.float("beta")
            let scores = try tverskyScore(p, t.cast(.float32), alpha: alpha, beta: beta, smooth: args.float("smooth") * smoothing, eps: eps * smoothing)
            var loss = try args.bool("log_loss") ? -scores.clipped(eps, .infinity).log() : 1 - scores
            loss = try loss * t.sum(axes: [0, 2]).compare(.greater, Tensor(0)).cast(.float32)
            var weights = try args.optionalTensor("class_weights")
            if !args.isNone("classes") {
                guard mode != "binary" else { throw call.error("AssertionError: Masking classes is not supported with mode=binary") }
                let picked = try args.tensor("classes").cast(.int64)
                loss = try loss.gatherSlices(axis: 0, index: picked)
                weights = try weights.map { try $0.gatherSlices(axis: 0, index: picked) }
            }
            let gamma = constructor.contains("gamma") ? try args.float("gamma") : 1
            let aggregated = try weights.map { try (loss * $0).sum() / $0.sum() } ?? loss.mean()
            return .tensor(gamma == 1 ? aggregated : try aggregated.pow(Tensor(gamma)))
        }
    }

    /// `_functional.focal_loss_with_logits`: BCE on logits scaled by (1 - p_t)^gamma, optionally balanced
    /// by alpha, reduced-threshold and normalised variants.
    static func focalWithLogits(_ z: Tensor, _ y: Tensor, gamma: Float, alpha: Float?, reduction: String, normalized: Bool,
                                threshold: Float?, call: Call) throws -> Tensor {
        let y = try y.cast(.float32)
        let logpt = try LossMath.binaryCrossEntropyWithLogits(y, z)
        let pt = try (-logpt).exp()
        var focal: Tensor
        if let threshold {
            focal = try ((1 - pt) / Tensor(threshold)).pow(Tensor(gamma))
            focal = try Tensor.select(pt.compare(.less, Tensor(threshold)), Tensor(1), focal)
        } else {
            focal = try (1 - pt).pow(Tensor(gamma))
        }
        var loss = try focal * logpt
        if let alpha { loss = try loss * (y * Tensor(alpha) + (1 - y) * Tensor(1 - alpha)) }
        if normalized { loss = try loss / focal.sum().clipped(1e-6, .infinity) }
        switch reduction {
        case "mean": return try loss.mean()
        case "sum": return try loss.sum()
        case "batchwise_mean": return try loss.sum(axes: [0])
        default: return loss
        }
    }

    static let focalConstructor = "mode, alpha=None, gamma=2.0, ignore_index=None, from_logits=True, eps=1e-7, reduction='mean', normalized=False, reduced_threshold=None, class_weights=None"

    static let focal: BuiltinFunction = Common.lossClass(focalConstructor) { call in
        let args = try call.bind("y_pred, y_true, " + focalConstructor)
        let mode = try mode(args)
        var z = try args.tensor("y_pred")
        var y = try args.tensor("y_true")
        if try args.bool("from_logits") {
            call.interpreter.noteLogitsInput(z, at: call.site)
        } else {
            let eps = try args.float("eps")
            z = try z.clipped(eps, 1 - eps)
            z = mode == "multiclass" ? try z.log() : try (z / (1 - z)).log()
        }
        let alpha: Float? = args.isNone("alpha") ? nil : try args.float("alpha")
        let threshold: Float? = args.isNone("reduced_threshold") ? nil : try args.float("reduced_threshold")
        let reduction = try args.string("reduction") ?? "mean", normalized = try args.bool("normalized")
        let ignore = try optionalInt(args, "ignore_index")
        func lossOf(_ z: Tensor, _ y: Tensor) throws -> Tensor {
            try focalWithLogits(z, y, gamma: args.float("gamma"), alpha: alpha, reduction: reduction, normalized: normalized, threshold: threshold, call: call)
        }
        if mode == "binary" {
            (z, y) = (try z.flattened(), try y.flattened())
            if let ignore {
                let keep = try y.compare(.notEqual, Tensor(Float(ignore)))
                (z, y) = (try z.masked(by: keep), try y.masked(by: keep))
            }
            return .tensor(try lossOf(z, y))
        }
        let classes = z.shape[1]
        let keep = try ignore.map { try y.compare(.notEqual, Tensor(Float($0))) }
        var losses: [Tensor] = []
        for c in 0..<classes {
            let starts = z.shape.indices.map { $0 == 1 ? c : 0 }, steps = z.shape.map { _ in 1 }
            var counts = z.shape
            counts[1] = 1
            var zc = try z.slice(starts: starts, steps: steps, counts: counts).reshaped(Array(z.shape[0..<1]) + Array(z.shape[2...]))
            var yc = mode == "multiclass" ? try y.compare(.equal, Tensor(Float(c))).cast(.int64)
                : try y.slice(starts: starts, steps: steps, counts: counts).reshaped(Array(z.shape[0..<1]) + Array(z.shape[2...]))
            if let keep { (zc, yc) = (try zc.masked(by: keep), try yc.masked(by: keep)) }
            losses.append(try lossOf(zc, yc))
        }
        let stacked = try Tensor.stack(losses)
        if let weights = try args.optionalTensor("class_weights") { return .tensor(try (stacked * weights).sum() / weights.sum()) }
        return .tensor(try stacked.mean())
    }

    static let softBCEConstructor = "weight=None, ignore_index=-100, reduction='mean', smooth_factor=None, pos_weight=None"

    static let softBCE: BuiltinFunction = Common.lossClass(softBCEConstructor) { call in
        let args = try call.bind("y_pred, y_true, " + softBCEConstructor)
        let (z, y) = (try args.tensor("y_pred"), try args.tensor("y_true"))
        var soft = y
        if !args.isNone("smooth_factor") {
            let s = try args.float("smooth_factor")
            soft = try (1 - y) * Tensor(s) + y * Tensor(1 - s)
        }
        var loss = try Common.binaryCrossEntropyWithLogits(soft, z, posWeight: args.optionalTensor("pos_weight"), call: call)
        if let weight = try args.optionalTensor("weight") { loss = try loss * weight }
        if let ignore = try optionalInt(args, "ignore_index") {
            loss = try loss * y.compare(.notEqual, Tensor(Float(ignore))).cast(.float32)
        }
        switch try args.string("reduction") ?? "mean" {
        case "mean": return .tensor(try loss.mean())
        case "sum": return .tensor(try loss.sum())
        default: return .tensor(loss)
        }
    }

    static let softCEConstructor = "reduction='mean', smooth_factor=None, ignore_index=-100, dim=1"

    /// `SoftCrossEntropyLoss`: log-softmax, then `label_smoothed_nll_loss` (ignored pixels count in the mean).
    static let softCE: BuiltinFunction = Common.lossClass(softCEConstructor) { call in
        let args = try call.bind("y_pred, y_true, " + softCEConstructor)
        let z = try args.tensor("y_pred")
        call.interpreter.noteLogitsInput(z, at: call.site)
        let dim = try args.int("dim")
        let lprobs = try z.logSoftmax(axis: dim)
        var target = try args.tensor("y_true")
        let axis = try lprobs.checkedAxis(dim)
        if target.shape.count == lprobs.shape.count - 1 { target = try Common.expandDims(target, axis: axis) }
        guard !args.isNone("smooth_factor") else {
            throw call.error("TypeError: unsupported operand type(s) for /: 'NoneType' and 'int' (SoftCrossEntropyLoss needs smooth_factor)")
        }
        let epsilon = try args.float("smooth_factor")
        var nll: Tensor, smooth: Tensor
        if let ignore = try optionalInt(args, "ignore_index") {
            let pad = try target.compare(.equal, Tensor(Float(ignore)))
            let safe = try Tensor.select(pad, Tensor(0, dtype: .int64), target).cast(.int64)
            nll = try Tensor.select(pad, Tensor(0), -lprobs.gather(axis: axis, index: safe))
            smooth = try Tensor.select(pad, Tensor(0), -lprobs.sum(axes: [axis], keepDims: true))
        } else {
            nll = try Common.squeeze(-lprobs.gather(axis: axis, index: target), axes: [axis])
            smooth = try -lprobs.sum(axes: [axis])
        }
        switch try args.string("reduction") ?? "mean" {
        case "sum": (nll, smooth) = (try nll.sum(), try smooth.sum())
        case "mean": (nll, smooth) = (try nll.mean(), try smooth.mean())
        default: break
        }
        let share = epsilon / Float(lprobs.shape[axis])
        return .tensor(try nll * Tensor(1 - epsilon) + smooth * Tensor(share))
    }

    static let regionOptions = "mode, classes=None, log_loss=False, from_logits=True, smooth=0.0, ignore_index=None, eps=1e-7"

    static let losses: [String: BuiltinFunction] = [
        "DiceLoss": region(alpha: 0.5, beta: 0.5, constructor: regionOptions + ", class_weights=None"),
        "JaccardLoss": region(alpha: 1, beta: 1, constructor: regionOptions + ", class_weights=None"),
        "TverskyLoss": region(alpha: nil, beta: nil, constructor: regionOptions + ", alpha=0.5, beta=0.5, gamma=1.0, class_weights=None"),
        "FocalLoss": focal,
        "SoftBCEWithLogitsLoss": softBCE,
        "SoftCrossEntropyLoss": softCE,
        "LovaszLoss": Lovasz.loss,
    ]

    /// pytorch-toolbelt 0.8.0 (`pytorch_toolbelt/losses/dice.py`, `jaccard.py`), the code smp's losses
    /// came from: the same forward, its scores written with Σp·g (equal values and gradients on hard
    /// labels), `smooth` added once to 2I in Dice, no class weights, no `ignore_index` for Jaccard.
    static let toolbeltLosses: [String: BuiltinFunction] = [
        "DiceLoss": region(alpha: 0.5, beta: 0.5, constructor: regionOptions, smoothing: 0.5),
        "JaccardLoss": region(alpha: 1, beta: 1, constructor: "mode, classes=None, log_loss=False, from_logits=True, smooth=0.0, eps=1e-7"),
    ]

    /// The module each class lives in, so that `segmentation_models_pytorch.losses.dice.DiceLoss` resolves too.
    static let modules = ["DiceLoss": "dice", "JaccardLoss": "jaccard", "TverskyLoss": "tversky", "FocalLoss": "focal",
                          "SoftBCEWithLogitsLoss": "soft_bce", "SoftCrossEntropyLoss": "soft_ce",
                          "LovaszLoss": "lovasz"]
}
