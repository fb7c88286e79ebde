#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a probe's model predicts for a mask, as foreground probabilities.
enum PredictionKind: String, CaseIterable, Sendable {
    /// Exactly the target (hard 0/1).
    case perfect
    /// Exactly the opposite of the target.
    case inverted
    /// 0 everywhere: the model that predicts nothing.
    case allBackground = "all-background"
    /// 1 everywhere.
    case allForeground = "all-foreground"
    /// 0.5 everywhere.
    case uniform
    /// 0.9 on foreground, 0.1 on background: nearly right.
    case soft
    /// Uniform random in [0, 1), seeded.
    case random
    /// 0.4 on foreground, 0.6 on background: mildly wrong.
    case mildlyWrong = "mildly-wrong"
    /// 0.001 on foreground, 0.999 on background: confidently wrong, but not hard.
    case confidentlyWrong = "confidently-wrong"

    /// Probability of foreground at a pixel whose target is `y`.
    func probability(target y: Float, _ generator: inout SeededGenerator) -> Float {
        switch self {
        case .perfect: y
        case .inverted: 1 - y
        case .allBackground: 0
        case .allForeground: 1
        case .uniform: 0.5
        case .soft: y == 1 ? 0.9 : 0.1
        case .random: generator.nextUnit()
        case .mildlyWrong: y == 1 ? 0.4 : 0.6
        case .confidentlyWrong: y == 1 ? 0.001 : 0.999
        }
    }

    /// Whether the prediction is hard 0/1 everywhere.
    var isHard: Bool { [.perfect, .inverted, .allBackground, .allForeground].contains(self) }
}

/// What the loss takes as its prediction.
public enum InputDomain: String, Sendable, CaseIterable {
    /// Foreground probabilities in [0, 1] (Keras' default, `from_logits=False`).
    case probabilities = "probs"
    /// Raw scores; a sigmoid gives the probability (PyTorch's and smp's usual input).
    case logits
    /// Log-probabilities, `log_softmax` of the scores: what `nll_loss` and label-smoothed NLL take (`lprobs`).
    case logProbabilities = "log-probs"

    /// The largest logit a probe uses for a hard prediction: past 16.7, float32 `sigmoid` is exactly 1.
    public static let hardLogit: Float = 20

    /// Maps a probability to this domain (hard 0/1 become -/+`hardLogit` in logits).
    public func encode(_ p: Float) -> Float {
        switch self {
        case .probabilities: return p
        case .logits: return Swift.min(Swift.max(logf(p / (1 - p)), -Self.hardLogit), Self.hardLogit)
        case .logProbabilities: return Swift.max(logf(p), -Self.hardLogit)
        }
    }
}

/// How a loss lays out its tensors.
public enum Layout: String, Sendable, CaseIterable {
    /// `(batch, height, width, channels)`: Keras and TensorFlow.
    case channelsLast = "NHWC"
    /// `(batch, channels, height, width)`: PyTorch.
    case channelsFirst = "NCHW"
}

extension PredictionKind {
    /// Class probabilities at a pixel of class `k` (0: background) of a multi-class probe. "Wrong" puts the
    /// mass on a wrong class: background for an object pixel, `object` (the pixel's quadrant class) for a
    /// background pixel. Perfect is one-hot, uniform 1/C, soft 0.9 on the right class, mildly wrong 0.4,
    /// confidently wrong 0.001 on it and the rest on the wrong class.
    func distribution(target k: Int, object: Int, classes: Int, _ generator: inout SeededGenerator) -> [Float] {
        let wrong = k == 0 ? object : 0
        func hard(_ c: Int) -> [Float] { (0..<classes).map { $0 == c ? 1 : 0 } }
        func spread(_ right: Float) -> [Float] {
            (0..<classes).map { $0 == k ? right : (1 - right) / Float(classes - 1) }
        }
        switch self {
        case .perfect: return hard(k)
        case .inverted: return hard(wrong)
        case .allBackground: return hard(0)
        case .allForeground: return hard(object)
        case .uniform: return [Float](repeating: 1 / Float(classes), count: classes)
        case .soft: return spread(0.9)
        case .mildlyWrong: return spread(0.4)
        case .confidentlyWrong:
            let small: Float = 0.001
            return (0..<classes).map { $0 == wrong ? 1 - small * Float(classes - 1) : small }
        case .random:
            let draws = (0..<classes).map { _ in generator.nextUnit() + 1e-3 }
            let total = draws.reduce(0, +)
            return draws.map { $0 / total }
        }
    }
}

extension InputDomain {
    /// Maps a class probability of a multi-class probe to this domain: logits are log-probabilities, so
    /// their softmax gives the probabilities back (hard 0 becomes -`hardLogit`).
    public func encodeClass(_ p: Float) -> Float {
        switch self {
        case .probabilities: return p
        case .logits, .logProbabilities: return Swift.max(logf(p), -Self.hardLogit)
        }
    }
}

extension InputDomain {
    /// The word reports use: `probabilities` or `logits`.
    var displayName: String {
        switch self {
        case .probabilities: "probabilities"
        case .logits: "logits"
        case .logProbabilities: "log-probabilities"
        }
    }
}
