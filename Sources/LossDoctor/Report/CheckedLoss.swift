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
