/// A loss under examination: a function of (target, prediction) written with `Tensor`.
public struct LossFunction: Sendable {
    /// The name findings and reports use.
    public var name: String
    /// Whether the prediction is a probability or a logit.
    public var domain: InputDomain
    /// The tensor layout the loss expects.
    public var layout: Layout
    /// Computes the loss; a non-scalar result is averaged, as Keras does.
    public var evaluate: @Sendable (_ target: Tensor, _ prediction: Tensor) throws -> Tensor

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
public protocol LocatedError: Error {
    /// The source site, when known.
    var site: SourceSite? { get }
    /// A one-line message.
    var message: String { get }
}
