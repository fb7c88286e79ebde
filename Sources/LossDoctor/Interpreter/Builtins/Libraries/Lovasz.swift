/// segmentation_models.pytorch 0.6.0 `LovaszLoss` (`segmentation_models_pytorch/losses/lovasz.py`, after
/// Berman et al.): the hinge form on logits for `binary`/`multilabel`, the softmax form over the classes
/// present for `multiclass`. Errors are sorted (the gradient follows each element through the sort) and
/// weighted by the Lovász extension of the Jaccard index, computed from the sorted labels (constants).
/// `from_logits` is accepted and, as in the library, not read.
enum Lovasz {
    /// The Jaccard index's Lovász gradient for labels in sorted order: 1 - I/U at each prefix, differenced.
    static func weights(_ sortedLabels: [Float]) -> [Float] {
        let positives = sortedLabels.reduce(0, +)
        var covered: Float = 0, missed: Float = 0
        var jaccard: [Float] = []
        for g in sortedLabels {
            covered += g
            missed += 1 - g
            jaccard.append(1 - (positives - covered) / (positives + missed))
        }
        for k in stride(from: jaccard.count - 1, to: 0, by: -1) { jaccard[k] -= jaccard[k - 1] }
        return jaccard
    }

    /// Σ sorted-descending errors · weights of the labels in that order.
    static func weightedSortedErrors(_ errors: Tensor, _ labels: Tensor, hinge: Bool) throws -> Tensor {
        let (sorted, order) = try errors.sorted(axis: 0, descending: true)
        let sortedLabels = order.scalars.map { labels.scalars[Int($0)] }
        let w = Tensor(shape: [sortedLabels.count], scalars: weights(sortedLabels))
        return try ((hinge ? Tensor.maximum(sorted, Tensor(0)) : sorted) * w).sum()
    }

    /// The hinge form on one flat set of logits and 0/1 labels.
    static func hinge(_ logits: Tensor, _ labels: Tensor) throws -> Tensor {
        guard logits.count > 0 else { return try logits.sum() * 0 }
        let signs = try labels.cast(.float32) * 2 - 1
        return try weightedSortedErrors(1 - logits * signs, labels.cast(.float32), hinge: true)
    }

    /// The softmax form on (pixels, classes) probabilities and class labels, over the classes present.
    static func softmax(_ probabilities: Tensor, _ labels: Tensor) throws -> Tensor {
        guard probabilities.count > 0 else { return try probabilities * 0 }
        let classes = probabilities.shape[1]
        var losses: [Tensor] = []
        for c in 0..<classes {
            let foreground = try labels.compare(.equal, Tensor(Float(c))).cast(.float32)
            guard foreground.scalars.contains(1) else { continue }
            let column = classes == 1 ? try probabilities.reshaped([probabilities.shape[0]])
                : try probabilities.gatherSlices(axis: 1, index: Tensor(Float(c), dtype: .int64))
            losses.append(try weightedSortedErrors((foreground - column).abs(), foreground, hinge: false))
        }
        guard let first = losses.first else { return Tensor(0) }
        return losses.count == 1 ? first : try losses.dropFirst().reduce(first) { try $0 + $1 } / Tensor(Float(losses.count))
    }

    /// Flattens (and drops the ignored pixels of) one batch or one image: scores (pixels[, classes]) and labels.
    static func flatten(_ scores: Tensor, _ labels: Tensor, classes: Int?, ignore: Int?) throws -> (Tensor, Tensor) {
        var s: Tensor
        if let classes {
            s = try scores.shape.count == 3 ? scores.reshaped([scores.shape[0], 1] + Array(scores.shape[1...])) : scores
            s = try s.transposed([0] + Array(2..<s.shape.count) + [1]).reshaped([-1, classes])
        } else {
            s = try scores.flattened()
        }
        var l = try labels.flattened()
        if let ignore {
            let keep = try l.compare(.notEqual, Tensor(Float(ignore)))
            (s, l) = (try s.masked(by: keep), try l.masked(by: keep))
        }
        return (s, l)
    }

    static let constructor = "mode, per_image=False, ignore_index=None, from_logits=True"

    static let loss: BuiltinFunction = Common.lossClass(constructor) { call in
        let args = try call.bind("y_pred, y_true, " + constructor)
        let mode = try SegmentationModelsPyTorch.mode(args)
        var prediction = try args.tensor("y_pred")
        let target = try args.tensor("y_true")
        let ignore = try SegmentationModelsPyTorch.optionalInt(args, "ignore_index")
        call.interpreter.noteLogitsInput(prediction, at: call.site)
        let classes: Int? = mode == "multiclass" ? prediction.shape[1] : nil
        if classes != nil { prediction = try prediction.softmax(axis: 1) }
        func one(_ p: Tensor, _ y: Tensor) throws -> Tensor {
            let (s, l) = try flatten(p, y, classes: classes, ignore: ignore)
            return try classes == nil ? hinge(s, l) : softmax(s, l)
        }
        guard try args.bool("per_image") else { return .tensor(try one(prediction, target)) }
        var total: Tensor?
        for b in 0..<prediction.shape[0] {
            let p = try prediction.gatherSlices(axis: 0, index: Tensor(shape: [1], scalars: [Float(b)], dtype: .int64))
            let y = try target.gatherSlices(axis: 0, index: Tensor(shape: [1], scalars: [Float(b)], dtype: .int64))
            let value = try one(p, y)
            total = try total.map { try $0 + value } ?? value
        }
        return .tensor(try (total ?? Tensor(0)) / Tensor(Float(Swift.max(prediction.shape[0], 1))))
    }
}
