/// What probing a loss observed: the facts every rule reads. Rules never run the loss themselves.
struct Evidence: Sendable {
    /// The loss that was probed.
    let lossName: String
    let domain: InputDomain
    let layout: Layout
    /// One observation per (mask, prediction) probe, in table order.
    let observations: [Observation]
    /// Loss values along continuous paths between predictions.
    let sweeps: [Sweep]
    /// How the loss scales with batch size, resolution and batch composition.
    let scale: ScaleEvidence?
    /// The additive terms of the loss, each differentiated alone.
    let terms: [TermObservation]
    /// Patterns seen in the computation graph (double activations, logs of zero, ...).
    let graphFacts: [GraphFact]
    /// Probes on which the loss raised instead of returning.
    let failures: [ProbeFailure]
    /// What the interpreter noticed in the source while evaluating the loss (empty for built-ins and closures).
    var sourceFacts: [SourceFact] = []
    /// The target format the probes used (binary unless the loss is multi-class).
    var target: TargetFormat = .binary
    /// The shape the loss took its probes in: images, 3-D volumes, or classification rows (each pixel a sample).
    var shape = ProbeShape.images
    /// How the target format was chosen, as reports say it (empty for built-ins and closures).
    var targetInference: String = ""
    /// The per-class probes of a multi-class loss; nil for a binary one.
    var classes: ClassEvidence? = nil
    /// Where a loss from source is defined, its parameters and how its domain was chosen; nil for built-ins and closures.
    var origin: LossOrigin? = nil
    /// What a simulated training run observed, next to the references' runs; nil when the check did not simulate.
    var simulation: SimulationEvidence? = nil

    /// The simulated run the training rules judge: one that went through all its steps (`TrainingRun.isComplete`).
    var judgedSimulation: SimulationEvidence? { simulation.flatMap { $0.run.isComplete ? $0 : nil } }

    /// Evidence of a loss that could not be probed at all (its file did not parse, or it was not found).
    static func none(_ name: String) -> Evidence {
        Evidence(lossName: name, domain: .probabilities, layout: .channelsLast, observations: [], sweeps: [], scale: nil,
                 terms: [], graphFacts: [], failures: [])
    }

    /// Whether the loss was evaluated on at least one probe.
    var wasProbed: Bool { !observations.isEmpty }

    /// The observation of one probe.
    func observation(_ mask: MaskKind, _ prediction: PredictionKind) -> Observation? {
        observations.first { $0.mask == mask && $0.prediction == prediction }
    }

    /// The loss value at one probe (NaN when the probe failed).
    func value(_ mask: MaskKind, _ prediction: PredictionKind) -> Float {
        observation(mask, prediction)?.value ?? .nan
    }

    /// The sweep with `id`.
    /// The sweep from one prediction to another on a mask (`perfect -> inverted` on the balanced mask).
    func sweep(from: PredictionKind, to: PredictionKind, on mask: MaskKind) -> Sweep? {
        sweeps.first { $0.from == from && $0.to == to && $0.mask == mask }
    }

    /// Observations on predictions that are neither hard nor exactly at the target: where a trainable
    /// loss must have a gradient.
    var softObservations: [Observation] {
        observations.filter { !$0.prediction.isHard }
    }
}

/// The loss, its gradient and their diagnosis at one probe.
struct Observation: Sendable {
    let mask: MaskKind
    let prediction: PredictionKind
    /// The loss (the mean of its elements when it is not a scalar).
    let value: Float
    /// The shape the loss returned.
    let outputShape: [Int]
    let gradient: GradientState
    /// The first op that produced NaN or infinity in the forward pass, when the value is not finite.
    let firstNonFiniteOp: OpSite?

    /// The probe's id, printed `mask/prediction`.
    var probe: ProbeID { .probe(mask, prediction) }
}

/// The gradient with respect to the prediction, summarised.
struct GradientState: Sendable {
    let state: GradientResult.State
    /// Euclidean norm.
    let norm: Double
    /// Sum of absolute values: what a shared parameter would receive, comparable across batch sizes.
    let mass: Double
    let cuts: [OpSite]
    let zeroing: [OpSite]
    let firstNonFinite: OpSite?

    init(_ result: GradientResult) {
        state = result.state
        norm = result.norm
        mass = result.values?.reduce(0.0) { $0 + Double(Swift.abs($1)) } ?? 0
        cuts = result.cuts
        zeroing = result.zeroing
        firstNonFinite = result.firstNonFinite
    }
}

/// Loss values along a straight path between two prediction states.
struct Sweep: Sendable {
    /// `from->to@mask`, e.g. `perfect->inverted@balanced`.
    let id: String
    let mask: MaskKind
    let from: PredictionKind
    let to: PredictionKind
    let values: [Float]

    /// Number of distinct finite values along the sweep.
    var distinctValues: Int { Set(values.filter(\.isFinite)).count }

    /// The most frequent value and how often it occurs.
    var plateau: (value: Float, count: Int) {
        var counts: [Float: Int] = [:]
        for v in values where v.isFinite { counts[v, default: 0] += 1 }
        let best = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }
        return best.map { ($0.key, $0.value) } ?? (.nan, 0)
    }
}

/// Value and gradient mass for one variant of the scale probe.
struct ScaleSample: Sendable {
    let value: Float
    let mass: Double
}

/// The scale probes: the same samples at double batch and double resolution, and one sample at a time.
struct ScaleEvidence: Sendable {
    /// The probe the variants start from.
    let probe: ProbeID
    let base: ScaleSample
    let doubledBatch: ScaleSample
    let upsampled: ScaleSample
    /// The probe used for batch pooling, and the loss on the whole batch and on each sample alone.
    let poolingProbe: ProbeID
    let batchValue: Float
    let perSampleValues: [Float]
}

/// One additive term of the loss and its own gradient.
struct TermObservation: Sendable {
    /// 1-based position of the term in the sum.
    let index: Int
    /// The op that produced the term.
    let op: OpSite?
    /// The probe it was measured on.
    let probe: ProbeID
    let gradient: GradientState
    let value: Float
}

/// A probe on which the loss raised: what was raised, where, and its kind, which says the rule that words it
/// (`RaisedErrorRule`: LD603 python-error, LD901-LD903 could-not-analyse).
struct ProbeFailure: Sendable {
    let probe: String
    let message: String
    let site: SourceSite?
    let kind: InterpreterError.Kind
    let hint: String?

    /// The code of the rule that reports it.
    var code: String { kind.rule.description.code }
}

/// A pattern in the computation graph that a rule can name.
struct GraphFact: Hashable, Sendable {
    enum Kind: String, Sendable {
        /// sigmoid/softmax applied directly to the prediction.
        case activationOnPrediction
        /// log applied directly to the prediction.
        case logOfPrediction
        /// log of a quantity computed from the target alone.
        case logOfTarget
        /// log of a quantity computed from the prediction (a cross-entropy's term, however it is written).
        case logOfPredictionTerm
        /// log of a probability made by a sigmoid/softmax inside the loss.
        case logOfActivation
        /// log of a prediction-dependent quantity that reached 0 or below on some probe.
        case logOfZero
        /// A `logOfZero` whose argument is a sigmoid/softmax made inside the loss (at the log's site): float32
        /// saturation, not a missing epsilon, is why it reaches 0.
        case logOfZeroAfterActivation
        /// A `logOfZero` whose argument went through a clip that does not keep it from 0 in float32 (its bound is 0
        /// or 1, as `1 - 1e-12` rounds to): the clip is there, its bound is too small. At the log's site; the detail
        /// gives the bounds.
        case logOfZeroThroughClip
        /// A reduction over axes that all have extent 1.
        case degenerateReduction
        /// A reduction over some spatial axes of a one-channel probe that keeps others (a 2-D Dice's `sum((2, 3))`
        /// on volumes, a `sum(-1)` on NCHW images), followed by a ratio: one ratio per row or column.
        case partialSpatialReduction
        /// A sum over the last axis, of extent 1, of per-pixel terms with no ratio after it: the class sum of a
        /// categorical cross-entropy (`sum(y * log p, axis=-1)`) seen on a one-channel probe.
        case sumOverOneChannel
        /// A softmax or log-softmax over an axis of extent 1: the constant 1 (or 0).
        case softmaxOverOneChannel
        /// `exp` of the prediction, or of the prediction shifted by its maximum: a log-softmax or
        /// log-sum-exp written out by hand (kornia's focal loss), so the prediction is logits.
        case expOfPrediction
        /// A ratio of two prediction-dependent statistics reduced over positions (a Dice, IoU or Tversky
        /// overlap), as opposed to a mean of per-position terms (cross-entropy, focal).
        case overlapRatio
    }

    let kind: Kind
    let op: OpSite
    /// Specifics, e.g. the axes and shape of a degenerate reduction.
    let detail: String
    /// The first probe where it was seen.
    let probe: ProbeID
}

/// What the per-class probes of a multi-class loss observed, on the imbalanced mask.
struct ClassEvidence: Sendable {
    let probe: ProbeID
    /// The loss of the perfect prediction.
    let perfect: Float
    /// The loss when object class `c` (index `c - 1`) is predicted as background, everything else perfect.
    let missingClass: [Float]
    /// How much the loss moves when only pixels labelled `ignore_index` are predicted wrong (nil: no ignored region).
    let ignoredChange: Float?
    /// When the loss adds several terms and one of them forms an overlap ratio: that term, on the same probes. A pooled Dice
    /// added to cross-entropy is pooled all the same, though the sum no longer looks it.
    var overlapTerms: [OverlapTerm] = []

    /// One additive term of a multi-class loss that forms an overlap ratio, on the imbalanced mask.
    struct OverlapTerm: Sendable {
        /// The op that makes the term (its root), where the report points.
        let op: OpSite?
        let perfect: Float
        let uniform: Float
        let allBackground: Float
        let missingClass: [Float]
    }
}
