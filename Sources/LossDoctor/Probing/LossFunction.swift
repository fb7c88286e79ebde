/// A loss under examination: a function of (target, prediction) written with `Tensor`.
public struct LossFunction: Sendable {
    /// The name findings and reports use.
    public var name: String
    /// Whether the prediction is a probability or a logit.
    public var domain: InputDomain
    /// The tensor layout the loss expects.
    public var layout: Layout
    /// How the loss receives its target: binary masks, one-hot masks or class indices.
    public var target: TargetFormat = .binary
    /// Computes the loss; a non-scalar result is averaged, as Keras does.
    public var evaluate: @Sendable (_ target: Tensor, _ prediction: Tensor) throws -> Tensor
    /// For a loss read from a source file: where it is and what its evaluation noticed in the source.
    var source: SourceHooks?

    /// A loss named `name` that calls `evaluate(target, prediction)`.
    public init(
        name: String, domain: InputDomain = .probabilities, layout: Layout = .channelsLast,
        evaluate: @escaping @Sendable (_ target: Tensor, _ prediction: Tensor) throws -> Tensor
    ) {
        self.name = name
        self.domain = domain
        self.layout = layout
        self.evaluate = evaluate
    }
}

/// An error that knows where in the user's source it happened.
protocol LocatedError: Error {
    /// The source site, when known.
    var site: SourceSite? { get }
    /// A one-line message.
    var message: String { get }
}

/// What a loss from a source file adds to a check: its place, findings about its file, and the
/// facts its interpreter records while the probes run.
struct SourceHooks: Sendable {
    /// Where the loss is defined, and how LossDoctor calls it.
    let origin: LossOrigin
    /// The Python expression the interpreter evaluated to get the loss (`DiceLoss(mode="binary")`, a bare
    /// name for a function or a class built with its defaults): `--execute` builds the same object.
    var call: String
    /// The shape the loss takes its probes in (images, 3-D volumes, classification rows): the 2-D probes are
    /// folded into it before the loss is called.
    var shape = ProbeShape.images
    /// Whether the loss takes a third argument, a mask of the pixels that count, passed all true.
    var maskArgument = false
    /// Findings about the module the loss lives in (errors at the top level of the file).
    let moduleFindings: [Finding]
    /// Called before probing: starts a fresh collection of source facts.
    let begin: @Sendable () -> Void
    /// Called after probing: what the interpreter noticed (LD6xx source rules read it).
    let sourceFacts: @Sendable () -> [SourceFact]
}
