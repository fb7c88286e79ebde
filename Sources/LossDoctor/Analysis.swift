/// The library's front door: probe a loss and judge it.
public enum LossDoctor {
    /// The version printed by `--version` and written into JSON and SARIF.
    public static let version = "0.1.0"

    /// Checks a loss: probes it and runs every rule. With `simulate`, also trains a tiny model with it on
    /// the synthetic task, next to the healthy references (the training rules LD501-LD503 read that run).
    public static func check(_ loss: LossFunction, runner: ProbeRunner = ProbeRunner(), simulate: Bool = false) -> Report {
        loss.source?.begin()
        var evidence = runner.run(loss)
        if simulate { evidence.simulation = Simulation.evidence(for: loss) }
        guard let source = loss.source else {
            return Report(loss: loss.name, findings: RuleRegistry.check(evidence), evidence: evidence)
        }
        evidence.diagnostics = source.diagnostics()
        // A finding without a place of its own (a value-based rule) points at the loss's definition.
        let findings = (source.moduleFindings + RuleRegistry.check(evidence)).map { $0.anchored(at: source.origin.site) }
        var report = Report(loss: loss.name, findings: findings, evidence: evidence)
        report.origin = source.origin
        return report
    }

    /// Checks a built-in loss by name; nil when there is none.
    public static func check(builtin name: String, simulate: Bool = false) -> Report? {
        ReferenceLosses.named(name).map { check($0.function, simulate: simulate) }
    }

    /// Checks a loss written as a Swift closure over `Tensor` (target, prediction).
    public static func check(
        name: String = "closure", domain: InputDomain = .probabilities,
        _ body: @escaping @Sendable (_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor
    ) -> Report {
        check(LossFunction(name: name, domain: domain, evaluate: body))
    }
}
