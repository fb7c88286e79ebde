/// A built-in loss: healthy references to compare against, and known-broken variants to learn from.
public struct ReferenceLoss: Sendable {
    /// Kebab-case name (`soft-dice`, `dice-floor`).
    public let name: String
    /// One line: what it is.
    public let summary: String
    /// The formula, with I = Σ y·p over a sample.
    public let formula: String
    public let domain: InputDomain
    /// Where the definition comes from.
    public let source: String
    /// Exactly the rule codes probing must report (empty for a loss with nothing to say).
    public let expected: [String]
    /// How it takes its target (multi-class built-ins: one-hot, channels-last, 3 classes).
    public var target: TargetFormat = .binary
    let compute: @Sendable (_ y: Tensor, _ p: Tensor) throws(EngineError) -> Tensor

    /// Whether it is a healthy reference (no error or warning expected).
    public var isHealthy: Bool {
        expected.allSatisfy { code in RuleRegistry.rule(code)?.description.severity == .info }
    }

    /// The loss, ready to probe.
    public var function: LossFunction {
        let compute = self.compute
        var loss = LossFunction(name: name, domain: domain) { y, p in try compute(y, p) }
        loss.target = target
        return loss
    }
}
