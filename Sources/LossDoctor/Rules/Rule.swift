/// Everything a rule says about itself: the single source for `explain`, `list`, SARIF `rules[]` and tests.
/// Each rule's file declares its description as a static member (`RuleDescription.floorDivision`), the typed
/// name the rest of the code uses for the rule: a code is written as a literal only there.
public struct RuleDescription: Sendable {
    /// Stable code, `LD` + three digits; the first digit is the category.
    public let code: String
    /// Stable kebab-case name, named after the defect.
    public let name: String
    /// The severity of its findings.
    public let severity: Severity
    /// What it does, in one sentence.
    public let summary: String
    /// Why it is bad, and what TensorFlow and PyTorch users actually see.
    public let rationale: String
    /// How it is measured, with the thresholds.
    public let detection: String
    /// What to do instead, as an imperative sentence.
    public let fix: String
    /// Python the rule flags.
    public let example: String
    /// Python it does not flag.
    public let useInstead: String
    /// Built-in losses that must trigger the rule.
    public let triggeringLosses: [String]
    /// Built-in losses that must not.
    public let passingLosses: [String]

    /// The category, from the code's first digit.
    public var category: String {
        switch code.dropFirst(2).first {
        case "1": "gradient"
        case "2": "numerics"
        case "3": "semantics"
        case "4": "scale"
        case "5": "training"
        case "6": "source"
        default: "analysis"
        }
    }
}

/// What a rule reads beyond the probes' values and gradients, which are all an executed loss (`check --execute`)
/// gives: the header of an executed report names the rules that could not run.
enum RuleInput: Sendable {
    /// Values and gradients on the probes, sweeps and scale probes.
    case probes
    /// Patterns in the graph LossDoctor's engine records (a log of an activation, a softmax over one channel).
    case engineGraph
    /// Each additive term of the loss differentiated alone.
    case termGradients
    /// What the interpreter notices in the source (removed APIs, casts, unused parameters).
    case source
    /// The simulated training run.
    case simulation
}

/// A check over the evidence of one loss. One rule, one type, one file.
protocol Rule: Sendable {
    var description: RuleDescription { get }
    /// What the rule reads (`.probes` unless it says otherwise).
    var reads: RuleInput { get }
    /// The findings the evidence supports (usually zero or one).
    func check(_ evidence: Evidence) -> [Finding]
}

extension RuleDescription {
    /// A finding of this rule, with its code, name, severity and fix filled in. `probe` is where it showed as reports
    /// print it: a `ProbeID`'s description, or the label of what raised (a sweep, the scale probes, an executed run).
    func finding(_ message: String, severity: Severity? = nil, notes: [String] = [], probe: String? = nil,
                 site: SourceSite? = nil, fix: String? = nil, numbers: [String: Double] = [:]) -> Finding {
        Finding(code: code, name: name, severity: severity ?? self.severity, message: message,
                notes: notes, probe: probe, site: site, fix: fix ?? self.fix, numbers: numbers)
    }
}

extension Rule {
    var reads: RuleInput { .probes }

    /// A finding of this rule, with its code, name, severity and fix filled in, shown on `probe`.
    func finding(_ message: String, severity: Severity? = nil, notes: [String] = [], probe: ProbeID? = nil, site: SourceSite? = nil,
                 fix: String? = nil, numbers: [String: Double] = [:]) -> Finding {
        description.finding(message, severity: severity, notes: notes, probe: probe?.description, site: site, fix: fix, numbers: numbers)
    }
}
