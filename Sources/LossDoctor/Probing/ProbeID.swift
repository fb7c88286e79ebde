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

/// A variant of a table probe that an exported probe set holds and an executed run returns values for, by id
/// `base#variant` (`imbalanced/random#doubled-batch`): the scale probes (LD401-LD403) and the multi-class
/// probes with one class missing. Spelled only here, so the export and the reading of results cannot drift.
enum VariantProbeID: Hashable, Sendable, CustomStringConvertible {
    /// The batch twice over (batch-dependent scale, LD401).
    case doubledBatch
    /// Every image at twice the resolution (resolution-dependent scale, LD402).
    case upsampled
    /// One sample of the pooling probe alone (batch pooling, LD403), counted from 0.
    case sample(Int)
    /// The perfect multi-class prediction of the imbalanced mask with one object class predicted absent, from 1.
    case withoutClass(Int)
    /// The perfect class-index prediction, wrong only on the pixels labelled with the ignore index (LD313).
    case ignoredWrong

    /// The probe the variant is made from.
    var base: ProbeID {
        switch self {
        case .doubledBatch, .upsampled: .probe(.imbalanced, .random)
        case .sample: .probe(.mixed, .soft)
        case .withoutClass, .ignoredWrong: .probe(.imbalanced, .perfect)
        }
    }

    /// The variant's own name, also its file name in an export (`doubled-batch`, `sample-3`).
    var variant: String {
        switch self {
        case .doubledBatch: "doubled-batch"
        case .upsampled: "upsampled"
        case .sample(let index): "sample-\(index)"
        case .withoutClass(let index): "without-class-\(index)"
        case .ignoredWrong: "ignored-wrong"
        }
    }

    var description: String { "\(base)#\(variant)" }
}

/// A sweep: predictions blended step by step from one kind to another on one mask, by id `from->to@mask`
/// (`perfect->inverted@balanced`), spelled only here.
struct SweepID: Hashable, Sendable, CustomStringConvertible {
    let from: PredictionKind
    let to: PredictionKind
    let mask: MaskKind

    var description: String { "\(from.rawValue)->\(to.rawValue)@\(mask.rawValue)" }
}
