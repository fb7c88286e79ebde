/// How bad a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    /// Worth knowing, not a defect.
    case info
    /// The loss trains, but badly or fragilely.
    case warning
    /// The loss cannot train correctly.
    case error

    private var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One diagnosis: a rule, what it measured, where, and what to do.
public struct Finding: Sendable {
    /// Stable code, e.g. `LD101`.
    public let code: String
    /// Stable kebab-case name, e.g. `floor-division`.
    public let name: String
    public let severity: Severity
    /// One line stating the fact, with the measured numbers (lowercase, no trailing period).
    public let message: String
    /// Supporting evidence, one fact per line.
    public let notes: [String]
    /// The probe where it showed, as `mask/prediction`, if any.
    public let probe: String?
    /// The op's place in the source, when the loss came from a file.
    public let site: SourceSite?
    /// What to do, as an imperative sentence.
    public let fix: String
    /// The measured numbers behind the message, by name.
    public let numbers: [String: Double]

    public init(code: String, name: String, severity: Severity, message: String, notes: [String] = [],
                probe: String? = nil, site: SourceSite? = nil, fix: String, numbers: [String: Double] = [:]) {
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.notes = notes
        self.probe = probe
        self.site = site
        self.fix = fix
        self.numbers = numbers
    }
}

/// The result of checking one loss: its findings, worst first, and the evidence they came from.
public struct Report: Sendable {
    public let loss: String
    public let findings: [Finding]
    public let evidence: Evidence

    public init(loss: String, findings: [Finding], evidence: Evidence) {
        self.loss = loss
        self.findings = findings.sorted {
            ($0.severity, $1.code, $1.site?.line ?? 0) > ($1.severity, $0.code, $0.site?.line ?? 0)
        }
        self.evidence = evidence
    }

    /// The most severe finding's severity, if any.
    public var worstSeverity: Severity? { findings.map(\.severity).max() }

    /// The codes reported, sorted.
    public var codes: [String] { Array(Set(findings.map(\.code))).sorted() }

    /// Number of findings of a severity.
    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }
}
