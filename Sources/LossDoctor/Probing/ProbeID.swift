/// Where a finding showed, as typed values: a probe of the table (a mask and a prediction) or the simulated training
/// run. Its description is the kebab-case id reports print (`imbalanced/all-background`, `simulation`), written only
/// here: the rest of the code names a probe by its mask and prediction (`RuleCodeLiteralTests` keeps it so).
enum ProbeID: Hashable, Sendable, CustomStringConvertible {
    /// The probe of one mask and one prediction.
    case probe(MaskKind, PredictionKind)
    /// The simulated training run (LD501-LD505).
    case simulation

    /// `mask/prediction`, or `simulation`.
    var description: String {
        switch self {
        case .probe(let mask, let prediction): "\(mask.rawValue)/\(prediction.rawValue)"
        case .simulation: "simulation"
        }
    }
}
