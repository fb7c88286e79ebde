/// A loss `check` examines, and where it came from. Built-ins today; losses read from source files
/// will add an origin and their source text, and every renderer already handles both.
struct CheckInput: Sendable {
    /// Where a loss under check came from.
    enum Origin: Sendable {
        /// A loss of the reference set.
        case builtin(ReferenceLoss)
        /// A loss defined in a source file, with the file's text for quoting lines.
        case file(path: String, text: String)
        /// A loss written in Swift and given to `LossCheck` (a closure or a `LossFunction`): no file, no formula.
        case swift
    }

    let function: LossFunction
    let origin: Origin

    init(function: LossFunction, origin: Origin) {
        self.function = function
        self.origin = origin
    }

    /// An input that is never probed (a file that could not be analysed, a report already made): its
    /// function is a stand-in that nothing calls.
    init(unprobed name: String, origin: Origin) {
        self.init(function: LossFunction(name: name) { _, _ in Tensor(0) }, origin: origin)
    }

    /// A built-in loss.
    init(builtin reference: ReferenceLoss) {
        self.init(function: reference.function, origin: .builtin(reference))
    }
}

/// How to check: what the command line can switch.
package struct CheckOptions: Hashable, Sendable {
    /// Whether to train the tiny model with the loss (the training rules LD501-LD504 read that run).
    var simulate = true

    init(simulate: Bool = true) {
        self.simulate = simulate
    }
}

/// A loss after checking: the input and its report, what every renderer takes.
struct CheckedLoss: Sendable {
    let input: CheckInput
    let report: Report

    init(input: CheckInput, report: Report) {
        self.input = input
        self.report = report
    }

    /// The reference loss, when the input is a built-in.
    var reference: ReferenceLoss? {
        if case .builtin(let reference) = input.origin { return reference }
        return nil
    }

    /// Whether it has no error or warning (infos only), the sense in which `ReferenceLoss.isHealthy` is meant.
    var isHealthy: Bool { (report.worstSeverity ?? .info) < .warning }

    /// The codes the reference set expects of a built-in (nil otherwise), sorted; the training rules'
    /// codes only when the simulated run took place, since nothing else can produce them.
    var expectedCodes: [String]? {
        let simulated = report.evidence.simulation != nil
        return reference?.expected.filter { code in
            simulated || RuleRegistry.rule(code)?.description.category != "training"
        }.sorted()
    }

    /// Whether the findings match the expected codes exactly (nil when not a built-in).
    var matchesExpected: Bool? { expectedCodes.map { report.codes == $0 } }

    /// Line `line` (1-based) of the source the site points into, when the loss came from that file.
    func sourceLine(_ site: SourceSite) -> String? {
        guard case .file(let path, let text) = input.origin, path == site.file, site.line >= 1 else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return site.line <= lines.count ? String(lines[site.line - 1]) : nil
    }
}

extension InputDomain {
    /// The word reports use: `probabilities` or `logits`.
    var displayName: String {
        switch self {
        case .probabilities: "probabilities"
        case .logits: "logits"
        }
    }
}
