/// A built-in loss: healthy references to compare against, and known-broken variants to learn from.
struct ReferenceLoss: Sendable {
    /// Kebab-case name (`soft-dice`, `dice-floor`).
    let name: String
    /// One line: what it is.
    let summary: String
    /// The formula, with I = Σ y·p over a sample.
    let formula: String
    let domain: InputDomain
    /// Where the definition comes from.
    let source: String
    /// Exactly the rules probing must report (empty for a loss with nothing to say).
    let expectedRules: [RuleDescription]
    /// How it takes its target (multi-class built-ins: one-hot, channels-last, 3 classes).
    var target: TargetFormat = .binary
    let compute: @Sendable (_ y: Tensor, _ p: Tensor) throws(EngineError) -> Tensor

    init(name: String, summary: String, formula: String, domain: InputDomain, source: String, expected: [RuleDescription],
         target: TargetFormat = .binary, compute: @escaping @Sendable (_ y: Tensor, _ p: Tensor) throws(EngineError) -> Tensor) {
        self.name = name
        self.summary = summary
        self.formula = formula
        self.domain = domain
        self.source = source
        self.expectedRules = expected
        self.target = target
        self.compute = compute
    }

    /// Exactly the rule codes probing must report (empty for a loss with nothing to say).
    var expected: [String] { expectedRules.map(\.code) }

    /// Whether it is a healthy reference (no error or warning expected).
    var isHealthy: Bool { expectedRules.allSatisfy { $0.severity == .info } }

    /// The loss, ready to probe.
    var function: LossFunction {
        let compute = self.compute
        var loss = LossFunction(name: name, domain: domain) { y, p in try compute(y, p) }
        loss.target = target
        return loss
    }
}
