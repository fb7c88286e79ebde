/// The budget of a simulated run: full-batch Adam for a fixed number of steps.
struct TrainingBudget: Hashable, Sendable {
    var steps = 30
    var learningRate: Float = 0.05

    init() {}
}

/// One evaluation of a simulated run, after `step` parameter updates.
struct TrainingPoint: Sendable, Equatable {
    let step: Int
    /// The loss on the training batch with the current parameters.
    let trainLoss: Float
    /// The loss on the validation batch.
    let validationLoss: Float
    /// Validation Dice of the prediction thresholded at 0.5 (multi-class: the arg max), pooled over the
    /// validation set; multi-class: the mean over the object classes.
    let dice: Double
    /// Validation IoU (Jaccard) of the thresholded prediction, pooled (multi-class: mean over object classes).
    let iou: Double
    /// Validation pixel accuracy of the thresholded prediction.
    let accuracy: Double
    /// The fraction of validation pixels predicted as foreground (any object class): 0 when the model
    /// predicts background everywhere.
    let predictedForeground: Double
}

/// A simulated training run of one loss on the synthetic task: its curves and how the gradient behaved.
struct TrainingRun: Sendable {
    /// What reached the model's parameters at the first step.
    enum Delivery: String, Sendable {
        /// No differentiable path from the parameters to the loss: no update ever happens.
        case missing
        /// A path, but every component exactly zero.
        case zero
        /// NaN or infinity.
        case nonFinite = "non-finite"
        case healthy
    }

    let lossName: String
    /// The task the run trained on: how the loss received its target.
    let format: TargetFormat
    let budget: TrainingBudget
    /// Evaluations at steps 0 (untrained) through `budget.steps`; empty when the loss raised.
    let points: [TrainingPoint]
    /// Foreground fraction of the validation masks.
    let foregroundFraction: Double
    /// Accuracy of a model that predicts background everywhere on the validation masks.
    let allBackgroundAccuracy: Double
    let delivery: Delivery
    /// The first step whose loss or gradient was NaN or infinite, if any.
    let firstNonFiniteStep: Int?
    /// Why the run stopped short: the loss raised on the task's batch before the first update (no points),
    /// or an error cut it at a later step (a resource limit on a loaded machine, a loss that raises on
    /// some batch). A run cut short is shown but never judged: its last point is no outcome.
    let failure: String?

    /// Whether the run went through every step of its budget: the only runs the training rules judge.
    var isComplete: Bool { failure == nil && points.count == budget.steps + 1 }

    /// The last evaluation.
    var final: TrainingPoint? { points.last }
    /// The untrained model's evaluation.
    var initial: TrainingPoint? { points.first }

    /// The first step at which the validation Dice reaches `target`, nil if it never does.
    func stepsToDice(_ target: Double) -> Int? { points.first { $0.dice >= target }?.step }

    /// The validation losses, in step order.
    var validationLosses: [Float] { points.map(\.validationLoss) }
    /// The validation Dice values, in step order.
    var validationDice: [Double] { points.map(\.dice) }

    /// A prediction with foreground on fewer than this fraction of the pixels is (almost) all background:
    /// a few stray pixels do not make a segmentation (the real-training side uses the same bound).
    static let almostNothing = 0.001

    /// The first step from which the validation prediction is (almost) all background to the end of the
    /// run, nil when the final prediction holds foreground.
    var allBackgroundSince: Int? {
        let nothing = { (point: TrainingPoint) in point.predictedForeground < Self.almostNothing }
        guard let last = points.last, nothing(last) else { return nil }
        return (points.lastIndex { !nothing($0) }.map { points[$0 + 1].step }) ?? points[0].step
    }
}

extension Simulation {
    /// Trains the tiny model with `loss` on the task: full batch, Adam, evaluated before the first update
    /// and after every update. Losses on probabilities get a sigmoid (one channel) or a softmax over the
    /// classes; logits losses get the logits. The target follows `format`, prediction and target follow
    /// the loss's layout.
    static func train(_ loss: LossFunction, format: TargetFormat = .binary, task: SegmentationTask? = nil,
                      budget: TrainingBudget = standardBudget) -> TrainingRun {
        let task = task ?? Simulation.task(for: format)
        let validation = task.validation
        func failed(_ message: String) -> TrainingRun {
            TrainingRun(lossName: loss.name, format: format, budget: budget, points: [],
                        foregroundFraction: validation.foregroundFraction,
                        allBackgroundAccuracy: validation.allBackgroundAccuracy, delivery: .missing,
                        firstNonFiniteStep: nil, failure: message)
        }
        let outputs = format.isMultiClass ? task.classes : 1
        let trainBatch: Batch, validationBatch: Batch
        do {
            trainBatch = try Batch(task.train, format: format, outputs: outputs, layout: loss.layout)
            validationBatch = try Batch(validation, format: format, outputs: outputs, layout: loss.layout)
        } catch {
            return failed("\(error)")
        }

        var model = TinySegmenter(seed: task.configuration.seed &+ 1, outputs: outputs)
        var optimizer = Adam(parameterCount: model.parameters.count, learningRate: budget.learningRate)
        var points: [TrainingPoint] = []
        var delivery = TrainingRun.Delivery.healthy
        var firstNonFinite: Int?
        var stopped: String?
        for step in 0...budget.steps {
            let parameters = model.parameters.map { Tensor.variable(shape: [], scalars: [$0]) }
            let trainLoss: Tensor, validationLoss: Tensor, validationLogits: Tensor
            do {
                trainLoss = try trainBatch.loss(loss, parameters).loss
                (validationLoss, validationLogits) = try validationBatch.loss(loss, constants(model.parameters))
            } catch {
                let reason = ProbeRunner.failure(error, probe: ProbeID.simulation.description).message
                if step == 0 { return failed(reason) }
                stopped = "stopped at step \(step) of \(budget.steps): \(reason)"
                break
            }
            let metrics = Metrics(logits: validationLogits.scalars, labels: validation.labels, classes: outputs)
            points.append(TrainingPoint(step: step, trainLoss: trainLoss.scalars[0], validationLoss: validationLoss.scalars[0],
                                        dice: metrics.dice, iou: metrics.iou, accuracy: metrics.accuracy,
                                        predictedForeground: metrics.predictedForeground))
            guard step < budget.steps else { break }

            let gradients = trainLoss.gradients(withRespectTo: parameters)
            let gradient = gradients.map { $0?[0] ?? 0 }
            if step == 0 {
                delivery = gradients.allSatisfy { $0 == nil } ? .missing
                    : !gradient.allSatisfy(\.isFinite) ? .nonFinite : gradient.allSatisfy { $0 == 0 } ? .zero : .healthy
            }
            if firstNonFinite == nil, !trainLoss.scalars[0].isFinite || !gradient.allSatisfy(\.isFinite) {
                firstNonFinite = step
            }
            // A missing gradient means no update at all (TensorFlow skips the variable); a NaN is applied,
            // as the frameworks do, and poisons the model from then on.
            if gradients.contains(where: { $0 != nil }) { optimizer.step(&model.parameters, gradient) }
        }
        return TrainingRun(lossName: loss.name, format: format, budget: budget, points: points,
                           foregroundFraction: validation.foregroundFraction,
                           allBackgroundAccuracy: validation.allBackgroundAccuracy, delivery: delivery,
                           firstNonFiniteStep: firstNonFinite, failure: stopped)
    }

    private static func constants(_ values: [Float]) -> [Tensor] { values.map { Tensor($0) } }

    /// A split prepared for the model: the shifted images of the convolution and the target in the loss's
    /// format and layout.
    struct Batch {
        let shifts: [Tensor]
        let target: Tensor
        let layout: Layout
        /// The model's output channels: 1 for the binary task, the number of classes otherwise.
        let outputs: Int

        init(_ split: SegmentationTask.Split, format: TargetFormat, outputs: Int, layout: Layout) throws(EngineError) {
            shifts = try TinySegmenter.shifts(of: Tensor(shape: split.shape, scalars: split.images))
            self.layout = layout
            self.outputs = outputs
            let (n, h, w) = (split.shape[0], split.shape[1], split.shape[2])
            switch format {
            case .binary:
                target = Tensor(shape: Batch.shape(split.shape, layout), scalars: split.masks)
            case .binaryWithoutChannel:
                target = Tensor(shape: [n, h, w], scalars: split.masks)
            case .oneHot:
                var hot = [Float](repeating: 0, count: split.labels.count * outputs)
                for (pixel, label) in split.labels.enumerated() { hot[pixel * outputs + label] = 1 }
                let channelsLast = Tensor(shape: [n, h, w, outputs], scalars: hot)
                target = layout == .channelsFirst ? try channelsLast.transposed([0, 3, 1, 2]) : channelsLast
            case .classIndex:
                // Integer labels, as the probes give them: `F.one_hot` and `CrossEntropyLoss` refuse floats.
                target = Tensor(shape: [n, h, w], scalars: split.labels.map(Float.init), dtype: .int64)
            case .labelMap:
                target = Tensor(shape: Batch.shape(split.shape, layout), scalars: split.labels.map(Float.init), dtype: .int64)
            }
        }

        /// One channel, so channels-first holds the same bytes as channels-last.
        static func shape(_ nhwc: [Int], _ layout: Layout) -> [Int] {
            layout == .channelsFirst ? [nhwc[0], nhwc[3], nhwc[1], nhwc[2]] : nhwc
        }

        /// The loss (averaged if it is not a scalar) and the logits, channels-last.
        func loss(_ loss: LossFunction, _ parameters: [Tensor]) throws -> (loss: Tensor, logits: Tensor) {
            let logits = try TinySegmenter.logits(shifts: shifts, parameters: parameters, outputs: outputs)
            var prediction = switch loss.domain {
            case .logits: logits
            case .probabilities: outputs == 1 ? try logits.sigmoid() : try logits.softmax(axis: -1)
            case .logProbabilities: outputs == 1 ? try logits.logSigmoid() : try logits.logSoftmax(axis: -1)
            }
            if layout == .channelsFirst {
                prediction = outputs == 1 ? try prediction.reshaped(Batch.shape(logits.shape, layout)) : try prediction.transposed([0, 3, 1, 2])
            }
            let raw = try loss.evaluate(target, prediction)
            return (raw.count == 1 ? raw : try raw.mean(), logits)
        }
    }
}

/// Validation metrics of a thresholded prediction, pooled over all pixels. One channel: foreground where
/// the logit is above 0 (probability above 0.5). Several: the arg max of the logits; Dice and IoU are the
/// means over the object classes.
struct Metrics {
    let dice: Double
    let iou: Double
    let accuracy: Double
    let predictedForeground: Double

    init(logits: [Float], labels: [Int], classes: Int) {
        let pixels = labels.count
        var predicted = [Int](repeating: 0, count: pixels)
        for pixel in 0..<pixels {
            if classes == 1 {
                predicted[pixel] = logits[pixel] > 0 ? 1 : 0  // false for NaN: a poisoned model predicts nothing
            } else {
                var best = 0
                for c in 1..<classes where logits[pixel * classes + c] > logits[pixel * classes + best] { best = c }
                predicted[pixel] = best
            }
        }
        let objectClasses = Swift.max(classes - 1, 1)
        var tp = [Int](repeating: 0, count: objectClasses + 1), fp = tp, fn = tp
        var correct = 0, foreground = 0
        for (p, y) in zip(predicted, labels) {
            if p == y { correct += 1 }
            if p > 0 { foreground += 1 }
            if p == y { if y > 0 { tp[y] += 1 } } else {
                if p > 0 { fp[p] += 1 }
                if y > 0 { fn[y] += 1 }
            }
        }
        // Both empty: a perfect (empty) prediction of an empty set.
        var diceSum = 0.0, iouSum = 0.0
        for c in 1...objectClasses {
            let union: Int = tp[c] + fp[c] + fn[c]
            let both: Int = union + tp[c]
            diceSum += union == 0 ? 1 : Double(2 * tp[c]) / Double(both)
            iouSum += union == 0 ? 1 : Double(tp[c]) / Double(union)
        }
        dice = diceSum / Double(objectClasses)
        iou = iouSum / Double(objectClasses)
        let n = Swift.max(pixels, 1)
        accuracy = Double(correct) / Double(n)
        predictedForeground = Double(foreground) / Double(n)
    }
}
