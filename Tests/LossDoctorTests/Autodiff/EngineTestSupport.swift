import Testing
@testable import LossDoctor

/// Helpers shared by the engine tests: building tensors, comparing float arrays, and the
/// finite-difference gradient check.
enum Engine {
    /// A variable of `shape` holding `values`.
    static func variable(_ values: [Float], _ shape: [Int]? = nil) -> Tensor {
        Tensor.variable(shape: shape ?? [values.count], scalars: values)
    }

    /// A constant of `shape` holding `values`.
    static func constant(_ values: [Float], _ shape: [Int]? = nil) -> Tensor {
        Tensor(shape: shape ?? [values.count], scalars: values)
    }

    /// 0, 1, 2, ... as a constant of `shape`.
    static func arange(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map(Float.init))
    }

    /// The plain gradient of `sum(output)` with respect to `variable` (nil: no path).
    static func gradient(_ output: Tensor, _ variable: Tensor) -> [Float]? {
        output.gradients(withRespectTo: [variable])[0]
    }

    /// Whether two arrays agree within `tolerance` (absolute), NaNs matching NaNs.
    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            (x.isNaN && y.isNaN) || x == y || Swift.abs(x - y) <= tolerance
        }
    }

    /// Fixed weights for the objective `sum(w * f(x))`: distinct, non-zero, so every output element
    /// contributes differently and a transposed or misplaced gradient shows.
    static func weights(_ count: Int) -> [Float] {
        (0..<count).map { Float(0.5) + Float(($0 * 7) % 11) * 0.13 }
    }

    /// One input of a gradient-check case.
    struct Input: Sendable {
        let shape: [Int]
        let values: [Float]
        init(_ values: [Float], _ shape: [Int]? = nil) {
            self.values = values
            self.shape = shape ?? [values.count]
        }
    }

    /// One mismatch between the engine's gradient and the finite difference.
    struct Mismatch: CustomStringConvertible {
        let input: Int, index: Int
        let analytic: Double, numeric: Double
        var description: String { "input \(input)[\(index)]: engine \(analytic), finite difference \(numeric)" }
    }

    /// Compares the engine's reverse-mode gradient of `sum(w * build(inputs))` with central finite
    /// differences. The forward passes are float32, so the step is large (5e-3) and the objective is
    /// accumulated in float64 from the float32 outputs; the points must stay a step away from kinks.
    static func gradientMismatches(
        _ inputs: [Input], step: Float = 5e-3, absolute: Double = 2e-3, relative: Double = 1e-2,
        _ build: ([Tensor]) throws -> Tensor
    ) throws -> [Mismatch] {
        let variables = inputs.map { Tensor.variable(shape: $0.shape, scalars: $0.values) }
        let output = try build(variables)
        let w = weights(output.count)
        let objective = try (output * Tensor(shape: output.shape, scalars: w)).sum()
        let analytic = objective.gradients(withRespectTo: variables)

        func evaluate(_ values: [[Float]]) throws -> Double {
            let out = try build(zip(inputs, values).map { Tensor(shape: $0.shape, scalars: $1) })
            return zip(out.scalars, w).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        var mismatches: [Mismatch] = []
        for (k, input) in inputs.enumerated() {
            let g = analytic[k] ?? [Float](repeating: 0, count: input.values.count)
            for i in input.values.indices {
                var values = inputs.map(\.values)
                values[k][i] = input.values[i] + step
                let up = try evaluate(values)
                values[k][i] = input.values[i] - step
                let down = try evaluate(values)
                // The step actually taken in float32.
                let h = Double(input.values[i] + step) - Double(input.values[i] - step)
                let numeric = (up - down) / h
                let a = Double(g[i])
                if Swift.abs(a - numeric) > absolute + relative * Swift.abs(numeric) {
                    mismatches.append(Mismatch(input: k, index: i, analytic: a, numeric: numeric))
                }
            }
        }
        return mismatches
    }
}
