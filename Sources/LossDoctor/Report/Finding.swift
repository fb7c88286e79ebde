/// How bad a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    /// Worth knowing, not a defect.
    case info
    /// The loss trains, but badly or fragilely.
    case warning
    /// The loss cannot train correctly.
    case error

    private var rank: Int { Severity.allCases.firstIndex(of: self)! }
    /// Orders `info < warning < error`.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One diagnosis: a rule, what it measured, where, and what to do. Its `Codable` form is a finding of the
/// JSON report (`ReportCoding.swift`), and two findings are equal when that form is.
public struct Finding: Sendable, Hashable {
    /// Stable code, e.g. `LD101`.
    public let code: String
    /// Stable kebab-case name, e.g. `floor-division`.
    public let name: String
    /// How bad it is.
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
    /// The code of the root finding this one follows from (e.g. LD105 piecewise-constant after LD101
    /// floor-division): shown as a note of the root ("and therefore: ..."), counted as info, listed in JSON.
    public internal(set) var consequenceOf: String? = nil
    /// A consequence's own severity, restored when its root is not reported (suppressed or not selected).
    var severityAlone: Severity? = nil

    /// A finding of rule `code` (`name`), with its message, evidence and fix.
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

    /// Whether both are the same finding as the JSON report shows it: a site's source text and a consequence's
    /// own severity, which JSON does not carry, are not compared; numbers that JSON writes alike are equal.
    public static func == (a: Finding, b: Finding) -> Bool {
        let renderer = JSONRenderer()
        return renderer.finding(a) == renderer.finding(b)
    }

    /// Hashes what `==` compares (part of it: equal findings hash alike).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(site?.line)
    }
}

/// The result of checking one loss: its findings, worst first, and the evidence they came from. Two reports
/// are equal when they name the same loss and make the same findings (the evidence behind them is not compared).
/// Its `Codable` form is one loss of the JSON report (`ReportCoding.swift`).
public struct Report: Sendable, Equatable {
    /// The loss's name.
    public let loss: String
    /// The findings, worst first.
    public let findings: [Finding]
    let evidence: Evidence
    /// Where a loss from a source file was defined and how it was called; nil for built-ins and closures.
    public var origin: LossOrigin?
    /// What was checked, for `description` to print the report's header as the CLI does (a built-in's
    /// formula, a file's quoted lines); Swift unless `LossCheck` was given a built-in's name or a file.
    var checkedAs: CheckInput.Origin = .swift

    init(loss: String, findings: [Finding], evidence: Evidence) {
        self.loss = loss
        let codes = Set(findings.filter { $0.consequenceOf == nil }.map(\.code))
        self.findings = findings.map { $0.consequenceOf.map(codes.contains) == false ? $0.released : $0 }.sorted {
            ($0.severity, $1.code, $1.site?.line ?? 0) > ($1.severity, $0.code, $0.site?.line ?? 0)
        }
        self.evidence = evidence
    }

    /// Whether both name the same loss and make the same findings.
    public static func == (a: Report, b: Report) -> Bool { a.loss == b.loss && a.findings == b.findings }

    /// The most severe finding's severity, if any.
    public var worstSeverity: Severity? { findings.map(\.severity).max() }

    /// The codes reported, sorted.
    public var codes: [String] { Array(Set(findings.map(\.code))).sorted() }

    /// Number of findings of a severity.
    /// Consequences are notes of their root finding, not findings of their own.
    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity && $0.consequenceOf == nil }.count }
}

/// Where a loss from a source file comes from, and how LossDoctor called it.
public struct LossOrigin: Sendable {
    /// The `def` (or `class`) of the loss.
    public let site: SourceSite
    /// The parameter that received the target, and the one that received the prediction.
    public let targetParameter: String
    /// The parameter that received the prediction.
    public let predictionParameter: String
    /// Whether the target is the first argument (Keras) rather than the second (PyTorch).
    public let targetFirst: Bool
    /// Why the domain and layout were chosen (inferred, or given by a flag).
    public let inference: String
    /// The file computes with NumPy alone (no framework with autodiff): the loss is evaluated, never
    /// differentiated or trained, so gradient-only and training rules do not apply (`NoAutodiff`).
    public var evaluatedOnly = false
    /// Whether the user gave the input domain (`--input`, the configuration) rather than LossDoctor inferring it.
    var inputGiven = false
}

extension Report: CustomStringConvertible {
    /// The report as `loss-doctor check` prints it, without colour: the findings with their notes and
    /// fixes, the probe tables and the verdict.
    public var description: String {
        TextRenderer().render(CheckedLoss(input: CheckInput(unprobed: loss, origin: checkedAs), report: self))
    }
}

extension Finding: CustomStringConvertible {
    /// One line, as compilers print a diagnostic: `losses.py:3:5: error[LD101] floor-division: message`,
    /// the headline alone for a finding without a site (a built-in's or a Swift loss's).
    public var description: String {
        let renderer = TextRenderer()
        return (site.map { renderer.location($0) + ": " } ?? "") + renderer.headline(self)
    }
}

extension Finding {
    /// A consequence whose root is not reported, as a finding of its own again.
    var released: Finding {
        Finding(code: code, name: name, severity: severityAlone ?? severity, message: message, notes: notes, probe: probe,
                site: site, fix: fix, numbers: numbers)
    }

    /// The same finding anchored at `site` when it has no location of its own.
    func anchored(at site: SourceSite) -> Finding {
        guard self.site == nil else { return self }
        var anchored = Finding(code: code, name: name, severity: severity, message: message, notes: notes,
                               probe: probe, site: site, fix: fix, numbers: numbers)
        anchored.consequenceOf = consequenceOf
        anchored.severityAlone = severityAlone
        return anchored
    }
}
