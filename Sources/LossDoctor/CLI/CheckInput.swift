/// A loss `check` examines, and where it came from. Built-ins today; losses read from source files
/// will add an origin and their source text, and every renderer already handles both.
public struct CheckInput: Sendable {
    /// Where a loss under check came from.
    public enum Origin: Sendable {
        /// A loss of the reference set.
        case builtin(ReferenceLoss)
        /// A loss defined in a source file, with the file's text for quoting lines.
        case file(path: String, text: String)
    }

    public let function: LossFunction
    public let origin: Origin

    public init(function: LossFunction, origin: Origin) {
        self.function = function
        self.origin = origin
    }

    /// A built-in loss.
    public init(builtin reference: ReferenceLoss) {
        self.init(function: reference.function, origin: .builtin(reference))
    }
}

/// How to check: what the command line can switch.
public struct CheckOptions: Hashable, Sendable {
    /// Whether to train the tiny model with the loss (the training rules LD501-LD504 read that run).
    public var simulate = true

    public init(simulate: Bool = true) {
        self.simulate = simulate
    }
}

/// A loss after checking: the input and its report, what every renderer takes.
public struct CheckedLoss: Sendable {
    public let input: CheckInput
    public let report: Report

    public init(input: CheckInput, report: Report) {
        self.input = input
        self.report = report
    }

    /// The reference loss, when the input is a built-in.
    public var reference: ReferenceLoss? {
        if case .builtin(let reference) = input.origin { return reference }
        return nil
    }

    /// Whether it has no error or warning (infos only), the sense in which `ReferenceLoss.isHealthy` is meant.
    public var isHealthy: Bool { (report.worstSeverity ?? .info) < .warning }

    /// The codes the reference set expects of a built-in (nil otherwise), sorted; the training rules'
    /// codes only when the simulated run took place, since nothing else can produce them.
    public var expectedCodes: [String]? {
        let simulated = report.evidence.simulation != nil
        return reference?.expected.filter { code in
            simulated || RuleRegistry.rule(code)?.description.category != "training"
        }.sorted()
    }

    /// Whether the findings match the expected codes exactly (nil when not a built-in).
    public var matchesExpected: Bool? { expectedCodes.map { report.codes == $0 } }

    /// Line `line` (1-based) of the source the site points into, when the loss came from that file.
    public func sourceLine(_ site: SourceSite) -> String? {
        guard case .file(let path, let text) = input.origin, path == site.file, site.line >= 1 else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return site.line <= lines.count ? String(lines[site.line - 1]) : nil
    }
}

extension InputDomain {
    /// The word reports use: `probabilities` or `logits`.
    public var displayName: String {
        switch self {
        case .probabilities: "probabilities"
        case .logits: "logits"
        }
    }
}
