#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The model a simulated run trains: one 3x3 convolution with a bias, giving one logit per pixel.
/// Ten parameters are enough to learn "bright and blob-shaped" on the synthetic task, and few enough that
/// a run takes milliseconds.
struct TinySegmenter {
    /// The 3x3 kernel in row-major order, then the bias.
    var parameters: [Float]

    static let parameterCount = 10

    /// Glorot-uniform kernel (Keras' default) from the task's generator; the bias starts at the prior
    /// log(0.01 / 0.99), as Lin et al. 2017 initialise a rare-class output, so the untrained model
    /// predicts background everywhere, like the seed's model whose accuracy stayed at 0.9862.
    init(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let limit: Float = (6.0 / 18.0).squareRoot()
        parameters = (0..<9).map { _ in (2 * generator.nextUnit() - 1) * limit } + [-4.59512]
    }

    /// The nine shifted copies of a zero-padded image that a 3x3 convolution weighs: shift (dy, dx) in
    /// row-major order of the kernel. Differentiable, though the model only applies it to constant images.
    static func shifts(of image: Tensor) throws(EngineError) -> [Tensor] {
        let (n, h, w, c) = (image.shape[0], image.shape[1], image.shape[2], image.shape[3])
        let padded = try image.padded(before: [0, 1, 1, 0], after: [0, 1, 1, 0])
        var shifts: [Tensor] = []
        for dy in 0..<3 {
            for dx in 0..<3 {
                shifts.append(try padded.slice(starts: [0, dy, dx, 0], steps: [1, 1, 1, 1], counts: [n, h, w, c]))
            }
        }
        return shifts
    }

    /// Logits `b + Σ_k w_k shift_k`: the 3x3 convolution (cross-correlation, as in every framework) with bias.
    static func logits(shifts: [Tensor], parameters: [Tensor]) throws(EngineError) -> Tensor {
        var sum = try shifts[0] * parameters[0]
        for k in 1..<9 { sum = try sum + shifts[k] * parameters[k] }
        return try sum + parameters[9]
    }
}

/// Adam (Kingma & Ba 2015) with Keras' defaults except the learning rate.
struct Adam {
    let learningRate: Float
    let beta1: Float = 0.9
    let beta2: Float = 0.999
    let epsilon: Float = 1e-7
    private var m: [Float]
    private var v: [Float]
    private var t: Float = 0

    init(parameterCount: Int, learningRate: Float) {
        self.learningRate = learningRate
        m = [Float](repeating: 0, count: parameterCount)
        v = m
    }

    /// One update of `parameters` by `gradient`.
    mutating func step(_ parameters: inout [Float], _ gradient: [Float]) {
        t += 1
        let correction1 = 1 - Float(pow(Double(beta1), Double(t)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(t)))
        for i in parameters.indices {
            m[i] = beta1 * m[i] + (1 - beta1) * gradient[i]
            v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i]
            parameters[i] -= learningRate * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + epsilon)
        }
    }
}
