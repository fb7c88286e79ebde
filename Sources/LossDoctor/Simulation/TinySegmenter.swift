#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The model a simulated run trains: one 3x3 convolution with a bias per output channel, giving one logit
/// per pixel and class (one channel for the binary task). Ten parameters a channel are enough to learn
/// "bright and blob-shaped" (or "dark and blob-shaped" for another class) on the synthetic task, and few
/// enough that a run takes milliseconds.
struct TinySegmenter {
    /// Per output channel: the 3x3 kernel in row-major order, then the bias.
    var parameters: [Float]
    let outputs: Int

    static let parameterCount = 10
    static let parametersPerOutput = 10

    /// Glorot-uniform kernel (Keras' default) from the task's generator; the biases start at the prior of
    /// 1 % per object class (log(0.01 / 0.99) for one channel, as Lin et al. 2017 initialise a rare-class
    /// output; background 0 and objects log(0.01 / 0.98) under a softmax), so the untrained model predicts
    /// background everywhere, like the seed's model whose accuracy stayed at 0.9862.
    init(seed: UInt64, outputs: Int = 1) {
        var generator = SeededGenerator(seed: seed)
        self.outputs = outputs
        let fans = Float(9 + 9 * outputs)
        let limit: Float = (6 / fans).squareRoot()
        let objectShare: Double = 1 - 0.01 * Double(outputs - 1)
        let objectPrior: Float = outputs == 1 ? -4.59512 : Float(log(0.01 / objectShare))
        var parameters: [Float] = []
        for channel in 0..<outputs {
            for _ in 0..<9 {
                let unit: Float = generator.nextUnit()
                parameters.append((2 * unit - 1) * limit)
            }
            parameters.append(outputs > 1 && channel == 0 ? 0 : objectPrior)
        }
        self.parameters = parameters
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

    /// The logits of every output channel, channels-last `(n, h, w, outputs)`.
    static func logits(shifts: [Tensor], parameters: [Tensor], outputs: Int) throws(EngineError) -> Tensor {
        guard outputs > 1 else { return try logits(shifts: shifts, parameters: parameters) }
        var channels: [Tensor] = []
        for channel in 0..<outputs {
            let own = Array(parameters[(channel * parametersPerOutput)..<((channel + 1) * parametersPerOutput)])
            channels.append(try logits(shifts: shifts, parameters: own))
        }
        return try Tensor.concat(channels, axis: 3)
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
