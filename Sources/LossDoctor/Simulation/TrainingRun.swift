/// The budget of a simulated run: full-batch Adam for a fixed number of steps.
public struct TrainingBudget: Hashable, Sendable {
    public var steps = 30
    public var learningRate: Float = 0.05

    public init() {}
}

/// One evaluation of a simulated run, after `step` parameter updates.
public struct TrainingPoint: Sendable, Equatable {
    public let step: Int
    /// The loss on the training batch with the current parameters.
    public let trainLoss: Float
    /// The loss on the validation batch.
    public let validationLoss: Float
    /// Validation Dice of the prediction thresholded at 0.5, pooled over the validation set.
    public let dice: Double
    /// Validation IoU (Jaccard) of the thresholded prediction, pooled.
    public let iou: Double
    /// Validation pixel accuracy of the thresholded prediction.
    public let accuracy: Double
}

/// A simulated training run of one loss on the synthetic task: its curves and how the gradient behaved.
public struct TrainingRun: Sendable {
    /// What reached the model's parameters at the first step.
    public enum Delivery: String, Sendable {
        /// No differentiable path from the parameters to the loss: no update ever happens.
        case missing
        /// A path, but every component exactly zero.
        case zero
        /// NaN or infinity.
        case nonFinite = "non-finite"
        case healthy
    }

    public let lossName: String
    public let budget: TrainingBudget
    /// Evaluations at steps 0 (untrained) through `budget.steps`; empty when the loss raised.
    public let points: [TrainingPoint]
    /// Foreground fraction of the validation masks.
    public let foregroundFraction: Double
    /// Accuracy of a model that predicts background everywhere on the validation masks.
    public let allBackgroundAccuracy: Double
    public let delivery: Delivery
    /// The first step whose loss or gradient was NaN or infinite, if any.
    public let firstNonFiniteStep: Int?
    /// Why the run stopped before it began: the loss raised on the task's batch.
    public let failure: String?

    /// The last evaluation.
    public var final: TrainingPoint? { points.last }
    /// The untrained model's evaluation.
    public var initial: TrainingPoint? { points.first }

    /// The first step at which the validation Dice reaches `target`, nil if it never does.
    public func stepsToDice(_ target: Double) -> Int? { points.first { $0.dice >= target }?.step }

    /// The validation losses, in step order.
    public var validationLosses: [Float] { points.map(\.validationLoss) }
    /// The validation Dice values, in step order.
    public var validationDice: [Double] { points.map(\.dice) }
}

extension Simulation {
    /// Trains the tiny model with `loss` on the task: full batch, Adam, evaluated before the first update
    /// and after every update. A sigmoid sits in front of losses on probabilities; logits losses get logits.
    public static func train(_ loss: LossFunction, task: SegmentationTask = standardTask,
                             budget: TrainingBudget = standardBudget) -> TrainingRun {
        let validation = task.validation
        func failed(_ message: String) -> TrainingRun {
            TrainingRun(lossName: loss.name, budget: budget, points: [], foregroundFraction: validation.foregroundFraction,
                        allBackgroundAccuracy: validation.allBackgroundAccuracy, delivery: .missing,
                        firstNonFiniteStep: nil, failure: message)
        }
        let trainBatch: Batch, validationBatch: Batch
        do {
            trainBatch = try Batch(task.train, layout: loss.layout)
            validationBatch = try Batch(validation, layout: loss.layout)
        } catch {
            return failed("\(error)")
        }

        var model = TinySegmenter(seed: task.configuration.seed &+ 1)
        var optimizer = Adam(parameterCount: TinySegmenter.parameterCount, learningRate: budget.learningRate)
        var points: [TrainingPoint] = []
        var delivery = TrainingRun.Delivery.healthy
        var firstNonFinite: Int?
        for step in 0...budget.steps {
            let parameters = model.parameters.map { Tensor.variable(shape: [], scalars: [$0]) }
            let trainLoss: Tensor, validationLoss: Tensor, validationLogits: Tensor
            do {
                trainLoss = try trainBatch.loss(loss, parameters).loss
                (validationLoss, validationLogits) = try validationBatch.loss(loss, constants(model.parameters))
            } catch {
                if step == 0 { return failed(ProbeRunner.failure(error, probe: "simulation").message) }
                break
            }
            let metrics = Metrics(logits: validationLogits.scalars, masks: validation.masks)
            points.append(TrainingPoint(step: step, trainLoss: trainLoss.scalars[0], validationLoss: validationLoss.scalars[0],
                                        dice: metrics.dice, iou: metrics.iou, accuracy: metrics.accuracy))
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
        return TrainingRun(lossName: loss.name, budget: budget, points: points,
                           foregroundFraction: validation.foregroundFraction,
                           allBackgroundAccuracy: validation.allBackgroundAccuracy, delivery: delivery,
                           firstNonFiniteStep: firstNonFinite, failure: nil)
    }

    private static func constants(_ values: [Float]) -> [Tensor] { values.map { Tensor($0) } }

    /// A split prepared for the model: the shifted images of the convolution and the target in the loss's layout.
    struct Batch {
        let shifts: [Tensor]
        let target: Tensor
        let layout: Layout

        init(_ split: SegmentationTask.Split, layout: Layout) throws(EngineError) {
            shifts = try TinySegmenter.shifts(of: Tensor(shape: split.shape, scalars: split.images))
            self.layout = layout
            target = Tensor(shape: Batch.shape(split.shape, layout), scalars: split.masks)
        }

        /// One channel, so channels-first holds the same bytes as channels-last.
        static func shape(_ nhwc: [Int], _ layout: Layout) -> [Int] {
            layout == .channelsFirst ? [nhwc[0], nhwc[3], nhwc[1], nhwc[2]] : nhwc
        }

        /// The loss (averaged if it is not a scalar) and the logits, channels-last.
        func loss(_ loss: LossFunction, _ parameters: [Tensor]) throws -> (loss: Tensor, logits: Tensor) {
            let logits = try TinySegmenter.logits(shifts: shifts, parameters: parameters)
            var prediction = loss.domain == .probabilities ? try logits.sigmoid() : logits
            if layout == .channelsFirst { prediction = try prediction.reshaped(target.shape) }
            let raw = try loss.evaluate(target, prediction)
            return (raw.count == 1 ? raw : try raw.mean(), logits)
        }
    }
}

/// Validation metrics of a thresholded prediction (logit > 0, i.e. probability > 0.5), pooled over all pixels.
struct Metrics {
    let dice: Double
    let iou: Double
    let accuracy: Double

    init(logits: [Float], masks: [Float]) {
        var tp = 0, fp = 0, fn = 0
        for (z, y) in zip(logits, masks) {
            let predicted = z > 0  // false for NaN: a poisoned model predicts nothing
            if predicted && y == 1 { tp += 1 } else if predicted { fp += 1 } else if y == 1 { fn += 1 }
        }
        let n = Swift.max(masks.count, 1)
        // Both empty: a perfect (empty) prediction of an empty set.
        dice = tp + fp + fn == 0 ? 1 : Double(2 * tp) / Double(2 * tp + fp + fn)
        iou = tp + fp + fn == 0 ? 1 : Double(tp) / Double(tp + fp + fn)
        accuracy = Double(n - fp - fn) / Double(n)
    }
}
