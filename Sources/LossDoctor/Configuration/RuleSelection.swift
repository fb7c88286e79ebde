/// Names one rule or a family of rules, as `--select`, `--ignore`, configuration and suppressions write
/// them: a code (`LD101`), a name (`floor-division`), or a code prefix (`LD1`, `LD10`, `LD` for all).
package struct RuleSelector: Hashable, Sendable, CustomStringConvertible {
    /// The upper-case code or code prefix the selector stands for.
    let prefix: String

    /// The selector for `text`, or nil when it names no rule.
    package init?(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        if let rule = RuleRegistry.rule(trimmed) {
            prefix = rule.description.code
            return
        }
        let upper = trimmed.uppercased()
        guard upper.hasPrefix("LD"), upper.count <= 5, upper.dropFirst(2).allSatisfy(\.isASCIIDigit),
              RuleRegistry.all.contains(where: { $0.description.code.hasPrefix(upper) }) else { return nil }
        prefix = upper
    }

    /// Whether the rule with this code is selected.
    func matches(_ code: String) -> Bool { code.hasPrefix(prefix) }

    package var description: String { prefix }

    /// What a misspelt selector probably meant: the closest code or name.
    static func suggestion(for text: String) -> String? {
        Suggestion.closest(to: text, among: RuleRegistry.all.flatMap { [$0.description.code, $0.description.name] })
    }
}

/// Which rules report: layers of `select` and `ignore` applied in order (the configuration file, then
/// the command line), as ruff does. A layer's `select` replaces what earlier layers enabled; its `ignore`
/// disables on top. So `--select LD605` re-enables a rule the configuration ignores, and `--ignore`
/// adds to the configuration's ignores.
package struct RuleSelection: Sendable {
    package struct Layer: Sendable {
        /// Only these rules, or nil to keep the rules enabled so far.
        var select: [RuleSelector]?
        var ignore: [RuleSelector]

        package init(select: [RuleSelector]? = nil, ignore: [RuleSelector] = []) {
            self.select = select
            self.ignore = ignore
        }
    }

    var layers: [Layer]

    package init(_ layers: [Layer] = []) {
        self.layers = layers
    }

    /// Every rule.
    static let all = RuleSelection()

    /// Whether findings of the rule with this code are reported.
    package func includes(_ code: String) -> Bool {
        var enabled = true
        for layer in layers {
            if let select = layer.select { enabled = select.contains { $0.matches(code) } }
            if layer.ignore.contains(where: { $0.matches(code) }) { enabled = false }
        }
        return enabled
    }

    /// The report without the findings of rules not selected.
    func apply(to report: Report) -> Report {
        guard !layers.isEmpty else { return report }
        return report.replacingFindings(report.findings.filter { includes($0.code) })
    }
}

extension Report {
    /// The same report (loss, evidence, origin) with other findings.
    func replacingFindings(_ findings: [Finding]) -> Report {
        var report = Report(loss: loss, findings: findings, evidence: evidence)
        report.origin = origin
        report.checkedAs = checkedAs
        return report
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
