#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Phrases and measurements several rules share, so each rule file stays about its own judgement.
enum Phrase {
    /// "`//`": the op by the name users write (the finding's own location says where).
    static func op(_ site: OpSite) -> String { "`\(site.op)`" }

    /// A list of distinct ops in order of first appearance, with their lines when they come from source.
    static func ops(_ sites: [OpSite]) -> String {
        var seen = Set<OpSite>()
        let distinct = sites.filter { seen.insert($0).inserted }
        guard distinct.count > 1 else { return distinct.first.map(op) ?? "" }
        return distinct.map { site in site.site.map { "`\(site.op)` (line \($0.line))" } ?? op(site) }.joined(separator: ", ")
    }

    static func number(_ x: Float) -> String { formatNumber(x) }
    static func number(_ x: Double) -> String { formatNumber(x) }

    /// A threshold as the rule pages write it, so that a page derives it from the rule's constant:
    /// `1e-4` (a power of ten), `15 %` (a share), `half` or `a tenth` (a share in words).
    static func power(_ x: Double) -> String {
        var exponent = Int(log10(Swift.abs(x)).rounded(.down))
        // A float32 1e-4 is 9.99999975e-5: its mantissa rounds to 10.
        if formatNumber(x / pow(10, Double(exponent))) == "10" { exponent += 1 }
        return "\(formatNumber(x / pow(10, Double(exponent))))e\(exponent)"
    }
    static func power(_ x: Float) -> String { power(Double(x)) }
    static func percent(_ share: Float) -> String { percent(Double(share)) }
    static func fraction(_ share: Float) -> String {
        switch share { case 0.5: "half"; case 0.1: "a tenth"; default: formatNumber(share) }
    }
}

extension Evidence {
    /// Observations where the loss has a gradient of some state, keyed by probe, on soft predictions.
    func softGradientStates() -> [GradientResult.State] { softObservations.map(\.gradient.state) }

    /// Whether the gradient is missing on every soft probe.
    var gradientMissingEverywhere: Bool {
        softProbesAllObserved && softObservations.allSatisfy { $0.gradient.state == .missing }
    }

    /// Whether the loss returned on every soft probe it was given: a rule about "every soft probe" needs them all,
    /// since the probes it raised on may be exactly those where the gradient flows (MONAI's Hausdorff loss
    /// returns only where the distance transform is skipped, on uniform masks, with a zero gradient).
    var softProbesAllObserved: Bool {
        !softObservations.isEmpty && !failures.contains { failure in
            let prediction = failure.probe.split(separator: "/").last.flatMap { PredictionKind(rawValue: String($0)) }
            return prediction.map { !$0.isHard } ?? false
        }
    }

    /// The loss's span on a mask: inverted minus perfect.
    func span(_ mask: MaskKind) -> Float { value(mask, .inverted) - value(mask, .perfect) }

    /// A one-line probe table excerpt: `perfect 0, uniform 0.97, inverted 1` on a mask.
    func valuesLine(_ mask: MaskKind, _ predictions: [PredictionKind]) -> String {
        predictions.map { "\($0.rawValue) \(Phrase.number(value(mask, $0)))" }.joined(separator: ", ")
    }

    /// The distinct sites of `op` that cut a gradient path on some probe, and the first probe (soft
    /// probes first: where a trainable loss needs a gradient). Sites carry the op's display name, derived here.
    func cuts(of op: Op) -> (sites: [OpSite], probe: ProbeID?) {
        cuts(named: op.name)
    }

    private func cuts(named op: String) -> (sites: [OpSite], probe: ProbeID?) {
        var sites: [OpSite] = []
        var probe: ProbeID?
        // Typical masks first: empty and full masks are corner cases, not the place to show a loss is cut.
        let typical: [MaskKind] = [.balanced, .imbalanced, .mixed, .tiny, .full, .empty]
        let soft = typical.flatMap { mask in softObservations.filter { $0.mask == mask } }
        for observation in soft + observations.filter(\.prediction.isHard) {
            for cut in observation.gradient.cuts where cut.op == op && !sites.contains(cut) {
                sites.append(cut)
                probe = probe ?? observation.probe
            }
        }
        return (sites, probe)
    }

    /// The first observation whose value or gradient is not finite.
    var firstNonFiniteObservation: Observation? {
        observations.first { !$0.value.isFinite || $0.gradient.state == .nonFinite }
    }
}

extension Rule {
    /// A finding at the place of a fact about the source. The message is shortened as the interpreter's errors are:
    /// it may quote the user's names, and one of a megabyte would be repeated in every format.
    func finding(_ message: String, at fact: SourceFact, severity: Severity? = nil, notes: [String] = [], fix: String? = nil) -> Finding {
        finding(InterpreterError.shortened(message), severity: severity, notes: notes, site: fact.site, fix: fix)
    }
}
