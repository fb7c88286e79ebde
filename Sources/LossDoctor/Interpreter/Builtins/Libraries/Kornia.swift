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

    static let losses: [String: BuiltinFunction] = [
        "kornia.losses.tversky_loss": tverskyFunction, "kornia.losses.tversky.tversky_loss": tverskyFunction,
        "kornia.losses.TverskyLoss": tverskyClass, "kornia.losses.tversky.TverskyLoss": tverskyClass,
    ]
}
