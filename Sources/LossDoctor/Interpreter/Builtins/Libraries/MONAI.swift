/// MONAI 1.6.1 losses (`monai/losses/dice.py`, `tversky.py`, `utils.py`), modelled from their source for
/// hard labels (`soft_label=False`): activations chosen by flags (`sigmoid`, `softmax`; a single channel
/// ignores `softmax`, `to_onehot_y` and `include_background`, as MONAI warns), one score per sample and
/// channel over the spatial axes (also over the batch with `batch=True`), `smooth_nr`/`smooth_dr` 1e-5.
enum MONAI {
    static let common = "include_background=True, to_onehot_y=False, sigmoid=False, softmax=False, other_act=None"

    /// Activation, one-hot target and background removal, as every MONAI region loss starts.
    static func prepare(_ args: Arguments, softmaxFlag: String = "softmax") throws -> (input: Tensor, target: Tensor) {
        let call = args.call
        guard args.isNone("other_act") else {
            throw InterpreterError(.unsupportedCall, "`\(call.name)` with `other_act` is not a call LossDoctor models", at: call.site, hint: "use sigmoid=True or softmax=True")
        }
        if !args.isNone("ignore_index") {
            throw InterpreterError(.unsupportedCall, "`\(call.name)` with `ignore_index` is not a call LossDoctor models", at: call.site, hint: "mask the ignored pixels before the loss")
        }
        var input = try args.tensor("input"), target = try args.tensor("target")
        guard input.shape.count >= 3 else { throw call.error("ValueError: input should have shape BNH[WD], got \(Tensor.describe(input.shape))") }
        if try args.bool("sigmoid") {
            call.interpreter.noteLogitsInput(input, at: call.site)
            input = try input.sigmoid()
        }
        let channels = input.shape[1]
        for flag in [softmaxFlag, "to_onehot_y"] where channels == 1 {
            if try args.bool(flag) {
                call.interpreter.ignoredMultiClassOption = "`\(call.name)` ignores `\(flag)=True` on a single channel, as MONAI warns"
            }
        }
        if try args.bool(softmaxFlag), channels > 1 {
            call.interpreter.noteLogitsInput(input, at: call.site)
            input = try input.softmax(axis: 1)
        }
        if try args.bool("to_onehot_y"), channels > 1 {
            guard target.shape.count == input.shape.count, target.shape[1] == 1 else {
                throw call.error("AssertionError: to_onehot_y needs a target of shape B1H[WD], got \(Tensor.describe(target.shape))")
            }
            target = try Common.oneHot(Common.squeeze(target, axes: [1]).cast(.int64), depth: channels, axis: 1)
        }
        if !(try args.bool("include_background")), channels > 1 {
            func dropFirst(_ t: Tensor) throws -> Tensor {
                var counts = t.shape
                counts[1] -= 1
                return try t.slice(starts: t.shape.indices.map { $0 == 1 ? 1 : 0 }, steps: t.shape.map { _ in 1 }, counts: counts)
            }
            (input, target) = (try dropFirst(input), try dropFirst(target))
        }
        guard target.shape == input.shape else {
            throw call.error("AssertionError: ground truth has different shape (\(TorchAPI.size(target))) from input (\(TorchAPI.size(input)))")
        }
        return (input, try target.cast(.float32))
    }

    static func reduceAxes(_ input: Tensor, batch: Bool) -> [Int] { (batch ? [0] : []) + Array(2..<input.shape.count) }

    /// MONAI's `reduction`: mean or sum over what is left, or the per-sample-and-channel values.
    static func reduce(_ f: Tensor, _ args: Arguments) throws -> Tensor {
        switch try args.string("reduction") ?? "mean" {
        case "mean": return try f.mean()
        case "sum": return try f.sum()
        case "none": return f
        case let other: throw args.call.error("ValueError: Unsupported reduction: \(other), available options are [\"mean\", \"sum\", \"none\"].")
        }
    }

    static let diceOptions = common + ", squared_pred=False, jaccard=False, reduction='mean', smooth_nr=1e-5, smooth_dr=1e-5, batch=False, weight=None, soft_label=False, ignore_index=None"

    /// 1 - (2·tp + smooth_nr) / (2·(tp + fp/2 + fn/2) + smooth_dr); Jaccard keeps fp and fn whole;
    /// `squared_pred` squares the sums (the ord-2 form of `compute_tp_fp_fn`).
    static func diceValue(_ args: Arguments) throws -> Tensor {
        guard !(try args.bool("soft_label")) else {
            throw InterpreterError(.unsupportedCall, "`\(args.call.name)` with `soft_label=True` is not a call LossDoctor models", at: args.call.site, hint: "use hard labels")
        }
        let (input, target) = try prepare(args)
        let axes = reduceAxes(input, batch: try args.bool("batch"))
        var tp: Tensor, fp: Tensor, fn: Tensor
        if try args.bool("squared_pred") {
            let predO = try input.squared().sum(axes: axes), groundO = try target.squared().sum(axes: axes)
            tp = try (predO + groundO - (input - target).squared().sum(axes: axes)) / 2
            (fp, fn) = (try predO - tp, try groundO - tp)
        } else {
            tp = try (input * target).sum(axes: axes)
            (fp, fn) = (try input.sum(axes: axes) - tp, try target.sum(axes: axes) - tp)
        }
        if !(try args.bool("jaccard")) { (fp, fn) = (try fp * 0.5, try fn * 0.5) }
        let numerator = try 2 * tp + Tensor(args.float("smooth_nr"))
        let denominator = try 2 * (tp + fp + fn) + Tensor(args.float("smooth_dr"))
        var f = try 1 - numerator / denominator
        if let weight = try args.optionalTensor("weight"), f.shape.last.map({ $0 != 1 }) ?? false {
            f = try f * (weight.shape.isEmpty ? weight : weight.reshaped([weight.count]))
        }
        return f
    }

    static let dice: BuiltinFunction = Common.lossClass(diceOptions) { call in
        let args = try call.bind("input, target, " + diceOptions)
        let f = try diceValue(args)
        if try args.string("reduction") == "none" {
            return .tensor(try f.reshaped(f.shape + [Int](repeating: 1, count: Swift.max(0, try args.tensor("input").shape.count - 2))))
        }
        return .tensor(try reduce(f, args))
    }

    static let tverskyOptions = common + ", alpha=0.5, beta=0.5, reduction='mean', smooth_nr=1e-5, smooth_dr=1e-5, batch=False, soft_label=False, ignore_index=None"

    /// 1 - (tp + smooth_nr) / (tp + α·fp + β·fn + smooth_dr), fp = Σp(1 - g), fn = Σ(1 - p)g.
    static let tversky: BuiltinFunction = Common.lossClass(tverskyOptions) { call in
        let args = try call.bind("input, target, " + tverskyOptions)
        let (input, target) = try prepare(args)
        let axes = reduceAxes(input, batch: try args.bool("batch"))
        let tp = try (input * target).sum(axes: axes)
        let fp = try (input * (1 - target)).sum(axes: axes) * Tensor(args.float("alpha"))
        let fn = try ((1 - input) * target).sum(axes: axes) * Tensor(args.float("beta"))
        let score = try (tp + Tensor(args.float("smooth_nr"))) / (tp + fp + fn + Tensor(args.float("smooth_dr")))
        return .tensor(try reduce(1 - score, args))
    }

    static let generalizedOptions = common + ", w_type='square', reduction='mean', smooth_nr=1e-5, smooth_dr=1e-5, batch=False, soft_label=False, ignore_index=None"

    /// Class weights 1/Σg² (`square`), 1/Σg (`simple`) or 1 (`uniform`); an absent class (infinite weight)
    /// takes the largest finite weight of its sample.
    static let generalizedDice: BuiltinFunction = Common.lossClass(generalizedOptions) { call in
        let args = try call.bind("input, target, " + generalizedOptions)
        let (input, target) = try prepare(args)
        let batch = try args.bool("batch")
        let axes = reduceAxes(input, batch: batch)
        let tp = try (input * target).sum(axes: axes)
        let groundO = try target.sum(axes: axes)
        let denominator = try input.sum(axes: axes) + groundO
        var w: Tensor
        switch try args.string("w_type") ?? "square" {
        case "simple": w = try 1 / groundO
        case "square": w = try 1 / (groundO * groundO)
        default: w = try Tensor.filled(1, shape: groundO.shape)
        }
        w = try w.stopGradient()
        let infinite = try w.abs().compare(.equal, Tensor(.infinity))
        w = try Tensor.select(infinite, Tensor(0), w)
        let top = batch ? try w.max() : try w.max(axes: [1], keepDims: true)
        w = try w + infinite.cast(.float32) * top
        let along = batch ? 0 : 1
        let numerator = try 2 * (tp * w).sum(axes: [along], keepDims: true) + Tensor(args.float("smooth_nr"))
        let denom = try (denominator * w).sum(axes: [along], keepDims: true) + Tensor(args.float("smooth_dr"))
        return .tensor(try reduce(1 - numerator / denom, args))
    }

    static let diceCEOptions = common + ", squared_pred=False, jaccard=False, reduction='mean', smooth_nr=1e-5, smooth_dr=1e-5, batch=False, weight=None, lambda_dice=1.0, lambda_ce=1.0, label_smoothing=0.0"

    /// Dice (as `DiceLoss`) plus cross-entropy on the raw input: `F.cross_entropy` with class indices
    /// (a B1H[WD] target) or probabilities, and BCE with logits for one channel.
    static let diceCE: BuiltinFunction = Common.lossClass(diceCEOptions) { call in
        let args = try call.bind("input, target, " + diceCEOptions + ", soft_label=False, ignore_index=None")
        let input = try args.tensor("input"), target = try args.tensor("target")
        guard input.shape.count == target.shape.count else {
            throw call.error("ValueError: the number of dimensions for input and target should be the same, got shape \(TorchAPI.size(input)) and \(TorchAPI.size(target))")
        }
        guard target.shape[1] == 1 || target.shape[1] == input.shape[1] else {
            throw call.error("ValueError: number of channels for target is neither 1 (without one-hot encoding) nor the same as input, got shape \(TorchAPI.size(input)) and \(TorchAPI.size(target)).")
        }
        let dice = try reduce(diceValue(args), args)
        call.interpreter.noteLogitsInput(input, at: call.site)
        let ce: Tensor
        if input.shape[1] == 1 {
            ce = try LossMath.binaryCrossEntropyWithLogits(target.cast(.float32), input).mean()
        } else {
            var labels = target
            if target.shape[1] == 1 { labels = try Common.squeeze(target, axes: [1]).cast(.int64) } else if !target.dtype.isFloatingPoint { labels = try target.cast(.float32) }
            let ceCall = Call(name: "F.cross_entropy", positional: [.tensor(input), .tensor(labels)],
                              keywords: [(name: "weight", value: args["weight"]), (name: "label_smoothing", value: args["label_smoothing"])],
                              site: call.site, captured: [], interpreter: call.interpreter)
            guard case .tensor(let value) = try TorchAPI.functions["F.cross_entropy"]!(ceCall) else { throw call.error("cross_entropy failed") }
            ce = value
        }
        return .tensor(try dice * Tensor(args.float("lambda_dice")) + ce * Tensor(args.float("lambda_ce")))
    }

    static let focalOptions = "include_background=True, to_onehot_y=False, gamma=2.0, alpha=None, weight=None, reduction='mean', use_softmax=False, ignore_index=None"

    /// `focal_loss.py`: on logits, sigmoid form x - x·t - logsigmoid(x) scaled by exp(gamma·logsigmoid(-x(2t - 1))),
    /// or softmax form -(1 - p)^gamma·log p·t; alpha a scalar (per class for softmax: 1 - α for channel 0)
    /// or one value per class; `weight` per class; `reduction='sum'` averages the spatial axes first.
    static func focalValue(_ input: Tensor, _ target: Tensor, _ args: Arguments, useSoftmax: Bool) throws -> Tensor {
        let call = args.call
        call.interpreter.noteLogitsInput(input, at: call.site)
        let gamma = try args.float("gamma")
        let channels = input.shape[1]
        let classShape = [channels] + [Int](repeating: 1, count: input.shape.count - 2)
        var loss: Tensor
        if useSoftmax {
            let logp = try input.logSoftmax(axis: 1)
            loss = try -(1 - logp.exp()).pow(Tensor(gamma)) * logp * target
        } else {
            loss = try input - input * target - input.logSigmoid()
            let inverse = try (-input * (target * 2 - 1)).logSigmoid()
            loss = try (inverse * Tensor(gamma)).exp() * loss
        }
        if !args.isNone("alpha") {
            let alpha = try args.tensor("alpha").cast(.float32)
            let includeBackground = try args.bool("include_background")
            let scalarIgnored = useSoftmax && !includeBackground && alpha.shape.isEmpty
            if !scalarIgnored {
                if alpha.shape.isEmpty {
                    let a = alpha.scalars[0]
                    if useSoftmax {
                        let factors = [1 - a] + [Float](repeating: a, count: Swift.max(channels - 1, 0))
                        loss = try Tensor(shape: classShape, scalars: factors) * loss
                    } else {
                        loss = try (target * Tensor(a) + (1 - target) * Tensor(1 - a)) * loss
                    }
                } else {
                    guard alpha.count == channels else {
                        throw call.error("ValueError: The length of alpha (\(alpha.count)) must match the number of classes (\(channels)).")
                    }
                    let perClass = try alpha.reshaped(classShape)
                    loss = try useSoftmax ? perClass * loss : Tensor.select(target.compare(.equal, Tensor(1)), perClass, Tensor(1)) * loss
                }
            }
        }
        if let weight = try args.optionalTensor("weight") {
            loss = try loss * (weight.count == 1 ? weight.reshaped([]) : weight.cast(.float32).reshaped(classShape))
        }
        switch try args.string("reduction") ?? "mean" {
        case "sum": return try loss.mean(axes: Array(2..<loss.shape.count)).sum()
        case "mean": return try loss.mean()
        case "none": return loss
        case let other: throw call.error("ValueError: Unsupported reduction: \(other), available options are [\"mean\", \"sum\", \"none\"].")
        }
    }

    static let focal: BuiltinFunction = Common.lossClass(focalOptions) { call in
        let args = try call.bind("input, target, " + focalOptions)
        let (input, target) = try prepare(args)
        return .tensor(try focalValue(input, target, args, useSoftmax: args.bool("use_softmax")))
    }

    static let diceFocalOptions = common + ", squared_pred=False, jaccard=False, reduction='mean', smooth_nr=1e-5, smooth_dr=1e-5, batch=False, gamma=2.0, weight=None, lambda_dice=1.0, lambda_focal=1.0, alpha=None"

    /// Dice (with the activation flags) plus the sigmoid focal loss on the raw input, the target one-hot
    /// encoded once for both.
    static let diceFocal: BuiltinFunction = Common.lossClass(diceFocalOptions) { call in
        let args = try call.bind("input, target, " + diceFocalOptions + ", soft_label=False, ignore_index=None")
        let input = try args.tensor("input")
        var target = try args.tensor("target")
        guard input.shape.count == target.shape.count else {
            throw call.error("ValueError: the number of dimensions for input and target should be the same, got shape \(TorchAPI.size(input)) and \(TorchAPI.size(target))")
        }
        guard target.shape[1] == 1 || target.shape[1] == input.shape[1] else {
            throw call.error("ValueError: number of channels for target is neither 1 (without one-hot encoding) nor the same as input, got shape \(TorchAPI.size(input)) and \(TorchAPI.size(target)).")
        }
        if try args.bool("to_onehot_y"), input.shape[1] > 1 {
            target = try Common.oneHot(Common.squeeze(target, axes: [1]).cast(.int64), depth: input.shape[1], axis: 1)
        }
        var values = args.values
        values["target"] = .tensor(target)
        values["to_onehot_y"] = .bool(false)
        let shared = Arguments(call: call, values: values)
        let dice = try reduce(diceValue(shared), shared)
        var focalValues = values
        for flag in ["sigmoid", "softmax"] { focalValues[flag] = .bool(false) }
        let focalArgs = Arguments(call: call, values: focalValues)
        let (focalInput, focalTarget) = try prepare(focalArgs)
        let focal = try focalValue(focalInput, focalTarget, focalArgs, useSoftmax: false)
        return .tensor(try dice * Tensor(args.float("lambda_dice")) + focal * Tensor(args.float("lambda_focal")))
    }

    static let losses: [String: BuiltinFunction] = [
        "FocalLoss": focal, "DiceFocalLoss": diceFocal,
        "DiceLoss": dice, "Dice": dice, "dice": dice,
        "TverskyLoss": tversky,
        "GeneralizedDiceLoss": generalizedDice, "GeneralizedDice": generalizedDice, "generalized_dice": generalizedDice,
        "DiceCELoss": diceCE, "DiceCE": diceCE,
    ]

    static let modules = ["DiceLoss": "dice", "Dice": "dice", "dice": "dice", "GeneralizedDiceLoss": "dice", "GeneralizedDice": "dice",
                          "generalized_dice": "dice", "DiceCELoss": "dice", "DiceCE": "dice", "TverskyLoss": "tversky",
                          "FocalLoss": "focal_loss", "DiceFocalLoss": "dice"]
}

/// torchvision 0.29 `torchvision/ops/focal_loss.py`: `sigmoid_focal_loss(inputs, targets, alpha=0.25,
/// gamma=2, reduction="none")`, BCE on logits scaled by (1 - p_t)^gamma and, for alpha >= 0, by alpha_t.
enum Torchvision {
    static let sigmoidFocalLoss: BuiltinFunction = { call in
        let args = try call.bind("inputs, targets, alpha=0.25, gamma=2, reduction='none'")
        let (z, y) = (try args.tensor("inputs"), try args.tensor("targets").cast(.float32))
        call.interpreter.noteLogitsInput(z, at: call.site)
        let p = try z.sigmoid()
        let ce = try LossMath.binaryCrossEntropyWithLogits(y, z)
        let pT = try p * y + (1 - p) * (1 - y)
        var loss = try ce * (1 - pT).pow(Tensor(args.float("gamma")))
        let alpha = try args.float("alpha")
        if alpha >= 0 { loss = try (y * Tensor(alpha) + (1 - y) * Tensor(1 - alpha)) * loss }
        switch try args.string("reduction") ?? "none" {
        case "none": return .tensor(loss)
        case "mean": return .tensor(try loss.mean())
        case "sum": return .tensor(try loss.sum())
        case let other: throw call.error("ValueError: Invalid Value for arg 'reduction': '\(other) \n Supported reduction modes: 'none', 'mean', 'sum'")
        }
    }
}
