/// A loss's value and gradient on one (target, prediction) pair, as a probe computes them and as
/// `loss-doctor eval` prints them: what to compare with your framework when a finding's numbers surprise you.
///
/// ```swift
/// let mse = LossFunction(name: "mse") { yTrue, yPred in try ((yPred - yTrue) * (yPred - yTrue)).mean() }
/// let evaluation = try mse.evaluate(target: Tensor(shape: [2], scalars: [0, 1]),
///                                   prediction: Tensor(shape: [2], scalars: [0.5, 0.5]))
/// print(evaluation.value)              // 0.25
/// print(evaluation.gradient!.scalars)  // [0.5, -0.5]
/// ```
public struct Evaluation: Sendable {
    /// The loss: its one element, or the mean of its elements when it returns more than one (as Keras
    /// averages a per-sample loss).
    public let value: Float
    /// The shape the loss returned, before averaging (`[]` for a scalar).
    public let outputShape: [Int]
    /// The gradient of `value` with respect to the prediction, shaped like it; nil when no differentiable
    /// path leads from the prediction to the loss (TensorFlow's `None`).
    public let gradient: Tensor?
    /// The backward pass in full: the gradient's state (missing, zero, non-finite, healthy), its norm, and the
    /// ops that cut or zeroed it.
    public let backward: GradientResult

    /// Missing, zero, non-finite or healthy.
    public var gradientState: GradientResult.State { backward.state }

    /// The largest gradient component in magnitude; 0 when the gradient is missing.
    var gradientMaxMagnitude: Float { backward.values?.reduce(0) { Swift.max($0, Swift.abs($1)) } ?? 0 }
}

extension LossFunction {
    /// Evaluates the loss on one pair and differentiates it with respect to the prediction.
    ///
    /// - Parameters:
    ///   - target: the target, in the loss's layout.
    ///   - prediction: the prediction, in the loss's layout and domain (probabilities or logits).
    /// - Returns: the value (a non-scalar loss averaged), the shape the loss returned, and the gradient.
    /// - Throws: what the loss throws (a shape mismatch, a Python error of a source loss).
    public func evaluate(target: Tensor, prediction: Tensor) throws -> Evaluation {
        // A fresh variable, so the gradient is the prediction's even when the caller's tensor has a graph.
        let variable = Tensor.variable(shape: prediction.shape, scalars: prediction.scalars)
        let raw = try evaluate(target, variable)
        let output = raw.count == 1 ? raw : try raw.mean()
        let backward = output.gradient(withRespectTo: variable)
        return Evaluation(value: output.scalars.first ?? .nan, outputShape: raw.shape,
                          gradient: backward.values.map { Tensor(shape: prediction.shape, scalars: $0) }, backward: backward)
    }

    /// Evaluates the loss on arrays read from `.npy` files (`loss-doctor eval`, the fidelity fixtures), in float32.
    func evaluate(target: NPYArray, prediction: NPYArray) throws -> Evaluation {
        try evaluate(target: Tensor(shape: target.shape, scalars: target.floats),
                     prediction: Tensor(shape: prediction.shape, scalars: prediction.floats))
    }
}
