/// kornia's losses, as the library computes them.
///
/// kornia 0.9.0 `kornia/losses/tversky.py`: `tversky_loss(pred, target, alpha, beta, eps=1e-8,
/// ignore_index=-100)` and `TverskyLoss`, on (B, C, H, W) logits and (B, H, W) class indices: softmax,
/// one-hot, ignored pixels masked out of both; per sample and class tp / (tp + α·fp + β·fn + eps), averaged
/// over the classes present in the sample, then over the batch.
enum Kornia {
    static func tversky(_ pred: Tensor, _ target: Tensor, alpha: Float, beta: Float, eps: Float, ignore: Int?, call: Call) throws -> Tensor {
        guard pred.shape.count == 4 else { throw call.error("ValueError: Invalid pred shape, we expect BxNxHxW. Got: \(TorchAPI.size(pred))") }
        guard target.shape == [pred.shape[0]] + Array(pred.shape[2...]) else {
            throw call.error("ValueError: Expected target size \(TorchAPI.size(Tensor(repeating: 0, shape: [pred.shape[0]] + Array(pred.shape[2...])))), got \(TorchAPI.size(target))")
        }
        call.interpreter.noteLogitsInput(pred, at: call.site)
        let classes = pred.shape[1]
        var probabilities = try pred.softmax(axis: 1)
        var labels = target
        var mask: Tensor?
        if let ignore {
            let keep = try target.compare(.notEqual, Tensor(Float(ignore)))
            labels = try Tensor.select(keep, target, Tensor(0, dtype: target.dtype))
            mask = try Common.expandDims(keep.cast(.float32), axis: 1)
        }
        if labels.scalars.contains(where: { $0 < 0 || $0 >= Float(classes) }) {
            throw call.error("ValueError: labels must be in the range [0, \(classes - 1)]")
        }
        var onehot = try Common.oneHot(labels.cast(.int64), depth: classes, axis: 1)
        if let mask { (probabilities, onehot) = (try probabilities * mask, try onehot * mask) }
        let tp = try (probabilities * onehot).sum(axes: [2, 3])
        let fp = try (probabilities * (1 - onehot)).sum(axes: [2, 3])
        let fn = try ((1 - probabilities) * onehot).sum(axes: [2, 3])
        let present = try onehot.sum(axes: [2, 3]).compare(.greater, Tensor(0))
        let denominator = try tp + fp * Tensor(alpha) + fn * Tensor(beta) + Tensor(eps)
        let score = try Tensor.select(present, tp / Tensor.select(present, denominator, Tensor(1)), Tensor(0))
        let perSample = try score.sum(axes: [-1]) / present.cast(.float32).sum(axes: [-1]).clipped(1, .infinity)
        return try 1 - perSample.mean()
    }

    static let tverskyFunction: BuiltinFunction = { call in
        let args = try call.bind("pred, target, alpha, beta, eps=1e-8, ignore_index=-100")
        let ignore = args.isNone("ignore_index") ? nil : try args.int("ignore_index")
        return .tensor(try tversky(args.tensor("pred"), args.tensor("target"), alpha: args.float("alpha"), beta: args.float("beta"),
                                   eps: args.float("eps"), ignore: ignore, call: call))
    }

    static let tverskyClass: BuiltinFunction = Common.lossClass("alpha, beta, eps=1e-8, ignore_index=-100") { call in
        try tverskyFunction(call)
    }

    /// kornia 0.9.0 `kornia/losses/focal.py`: `focal_loss(pred, target, alpha, gamma=2.0, reduction="none",
    /// weight=None, ignore_index=-100)` on (B, C, *) logits and (B, *) int64 class indices: the (B, C, *) map
    /// -α_c (1 - p_t)^γ log p_t on the target class's slice (α_0 = 1 - α, α_c = α for c > 0; `alpha=None`: 1),
    /// 0 elsewhere and at ignored pixels, which stay in the `'mean'` denominator (C times the pixel count).
    static func focal(_ pred: Tensor, _ target: Tensor, alpha: Float?, gamma: Float, reduction: String, weight: Tensor?,
                      ignore: Int?, call: Call) throws -> Tensor {
        guard pred.shape.count >= 2 else { throw call.error("BaseError: \(TorchAPI.size(pred)) shape must be [['B', 'C', '*']]. Got \(TorchAPI.size(pred))") }
        let expected = [pred.shape[0]] + Array(pred.shape[2...])
        guard target.shape == expected else {
            throw call.error("BaseError: Expected target size (\(expected.map(String.init).joined(separator: ", "))), got \(TorchAPI.size(target))")
        }
        guard ["none", "mean", "sum"].contains(reduction) else { throw call.error("NotImplementedError: Invalid reduction mode: \(reduction)") }
        call.interpreter.noteLogitsInput(pred, at: call.site)
        let classes = pred.shape[1]
        var labels = target
        var keep: Tensor?
        if let ignore {
            let valid = try target.compare(.notEqual, Tensor(Float(ignore)))
            labels = try Tensor.select(valid, target, Tensor(0, dtype: target.dtype))
            keep = try Common.expandDims(valid, axis: 1)
        }
        guard labels.dtype == .int64 else { throw call.error("BaseError: labels must be of dtype torch.int64. Got: torch.\(labels.dtype.rawValue)") }
        if labels.scalars.contains(where: { $0 < 0 }) { throw call.error("RuntimeError: Class values must be non-negative.") }
        if labels.scalars.contains(where: { $0 >= Float(classes) }) { throw call.error("RuntimeError: Class values must be smaller than num_classes.") }
        var logits = pred
        if let keep { logits = try Tensor.select(keep, pred, Tensor(0)) }  // ignored logits cannot overflow into NaN
        let logp = try logits.logSoftmax(axis: 1)
        var onehot = try Common.oneHot(labels, depth: classes, axis: 1)
        if let keep { onehot = try onehot * keep.cast(.float32) }
        // (1 - p)^γ; where p rounds to 1 the factor is the constant 0^γ (kornia detaches it there: no infinite
        // derivative for γ < 1). A constant, not a detach: only those pixels leave the graph.
        let base = try 1 - logp.exp()
        let saturated = try base.compare(.equal, Tensor(0))
        let zeroPower: Float = gamma == 0 ? 1 : (gamma > 0 ? 0 : .infinity)
        let factor = try Tensor.select(saturated, Tensor(zeroPower), Tensor.select(saturated, Tensor(1), base).pow(Tensor(gamma)))
        let isTarget = try onehot.compare(.notEqual, Tensor(0))
        var loss = try -factor * Tensor.select(isTarget, logp, Tensor(0)) * onehot
        let broadcast = [classes] + [Int](repeating: 1, count: pred.shape.count - 2)
        if let alpha {
            let alphas = Tensor(shape: broadcast, scalars: [1 - alpha] + [Float](repeating: alpha, count: classes - 1))
            loss = try loss * alphas
        }
        if let weight {
            guard weight.count == classes else {
                throw call.error("BaseError: weight must hold one value per class of pred: got weight of shape \(TorchAPI.size(weight)) for pred of shape \(TorchAPI.size(pred))")
            }
            loss = try loss * weight.reshaped(broadcast)
        }
        switch reduction {
        case "mean": return try loss.mean()
        case "sum": return try loss.sum()
        default: return loss
        }
    }

    static let focalSignature = "alpha, gamma=2.0, reduction='none', weight=None, ignore_index=-100"

    static let focalFunction: BuiltinFunction = { call in
        let args = try call.bind("pred, target, " + focalSignature)
        return .tensor(try focal(args.tensor("pred"), args.tensor("target"), alpha: args.isNone("alpha") ? nil : try args.float("alpha"),
                                 gamma: args.float("gamma"), reduction: args.string("reduction") ?? "none",
                                 weight: args.optionalTensor("weight"), ignore: args.isNone("ignore_index") ? nil : try args.int("ignore_index"),
                                 call: call))
    }

    static let focalClass: BuiltinFunction = Common.lossClass(focalSignature) { call in try focalFunction(call) }

    static let losses: [String: BuiltinFunction] = [
        "kornia.losses.tversky_loss": tverskyFunction, "kornia.losses.tversky.tversky_loss": tverskyFunction,
        "kornia.losses.TverskyLoss": tverskyClass, "kornia.losses.tversky.TverskyLoss": tverskyClass,
        "kornia.losses.focal_loss": focalFunction, "kornia.losses.focal.focal_loss": focalFunction,
        "kornia.losses.FocalLoss": focalClass, "kornia.losses.focal.FocalLoss": focalClass,
    ]
}
