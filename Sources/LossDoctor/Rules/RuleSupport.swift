/// Phrases and measurements several rules share, so each rule file stays about its own judgement.
enum Phrase {
    /// "`//` (losses.py:7:35)" or "`//`".
    static func op(_ site: OpSite) -> String {
        guard let s = site.site else { return "`\(site.op)`" }
        return "`\(site.op)` (\(s.file):\(s.line):\(s.column))"
    }

    /// A list of distinct ops, in order of first appearance.
    static func ops(_ sites: [OpSite]) -> String {
        var seen = Set<OpSite>()
        return sites.filter { seen.insert($0).inserted }.map(op).joined(separator: ", ")
    }

    static func number(_ x: Float) -> String { formatNumber(x) }
    static func number(_ x: Double) -> String { formatNumber(x) }
}

extension Evidence {
    /// Observations where the loss has a gradient of some state, keyed by probe, on soft predictions.
    func softGradientStates() -> [GradientResult.State] { softObservations.map(\.gradient.state) }

    /// Whether the gradient is missing on every soft probe.
    var gradientMissingEverywhere: Bool {
        !softObservations.isEmpty && softObservations.allSatisfy { $0.gradient.state == .missing }
    }

    /// The loss's span on a mask: inverted minus perfect.
    func span(_ mask: MaskKind) -> Float { value(mask, .inverted) - value(mask, .perfect) }

    /// A one-line probe table excerpt: `perfect 0, uniform 0.97, inverted 1` on a mask.
    func valuesLine(_ mask: MaskKind, _ predictions: [PredictionKind]) -> String {
        predictions.map { "\($0.rawValue) \(Phrase.number(value(mask, $0)))" }.joined(separator: ", ")
    }

    /// The first observation whose value or gradient is not finite.
    var firstNonFiniteObservation: Observation? {
        observations.first { !$0.value.isFinite || $0.gradient.state == .nonFinite }
    }
}
