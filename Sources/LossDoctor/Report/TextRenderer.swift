/// The human report, read like a compiler's: a header per loss, one block per finding
/// (`error[LD101] floor-division: ...`, `--> probe`, `= note:`, `= fix:`), the probe tables, and a verdict.
struct TextRenderer: Sendable {
    var style: TextStyle

    init(style: TextStyle = TextStyle(enabled: false)) {
        self.style = style
    }

    /// The full report of each loss, separated by a blank line.
    func render(_ losses: [CheckedLoss]) -> String {
        losses.map(render).joined(separator: "\n")
    }

    /// Text from the checked code (names, messages, paths), escaped for the terminal: see `SafeText`.
    private func safe(_ text: String) -> String { SafeText.escaped(text) }

    /// The full report of one loss.
    func render(_ checked: CheckedLoss) -> String {
        var lines = header(checked)
        let source = SourceLines(checked)
        for finding in checked.report.findings where finding.consequenceOf == nil {
            lines.append("")
            lines += block(finding, checked, source)
        }
        if checked.report.evidence.wasProbed {
            lines.append("")
            lines += probeTables(checked.report.evidence)
        }
        lines.append("")
        lines += summary(checked.report)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `checking NAME (origin; domain, layout): summary`, then the formula of a built-in.
    func header(_ checked: CheckedLoss) -> [String] {
        let evidence = checked.report.evidence
        let kind = "\(evidence.domain.displayName), \(evidence.layout.rawValue)"
        switch checked.input.origin {
        case .builtin(let reference):
            return [style.bold("checking \(safe(reference.name))") + " (built-in; \(kind)): \(reference.summary)",
                    "  formula: \(reference.formula)"]
        case .file(let rawPath, _):
            let path = safe(rawPath), loss = safe(checked.report.loss)
            // A loss that raised on every probe still says how it was called: the error may be the probe's
            // doing as the user asked for it (a frame of `--ignore-index 255`).
            guard let origin = checked.report.origin else {
                // A file that could not be analysed is named by its path; a loss of it (a class that could not be built) by its name.
                guard checked.report.evidence.wasProbed else {
                    return [style.bold(checked.report.loss == rawPath ? "checking \(path)" : "checking \(loss) (\(path))")]
                }
                return [style.bold("checking \(loss)") + " (\(path); \(kind))"]
            }
            let target = safe(origin.targetParameter), prediction = safe(origin.predictionParameter)
            return [style.bold("checking \(loss)") + " (\(path):\(origin.site.line); \(kind))",
                    "  called as \(loss)(\(origin.targetFirst ? "\(target)=target, \(prediction)=prediction" : "\(prediction)=prediction, \(target)=target")); \(safe(origin.inference))"]
        case .swift:
            return [style.bold("checking \(safe(checked.report.loss))") + " (Swift; \(kind))"]
        }
    }

    /// One finding: the headline, where it showed (source line and caret when known), notes and fix.
    func block(_ finding: Finding, _ checked: CheckedLoss, _ source: SourceLines? = nil) -> [String] {
        // rustc's layout: the gutter is as wide as the line number, `-->` starts in it, `|` and `=` follow it.
        let gutter = Swift.max(2, finding.site.map { String($0.line).count } ?? 0)
        let spaces = { (count: Int) in String(repeating: " ", count: count) }
        var lines = [headline(finding)]
        if let site = finding.site {
            lines.append(spaces(gutter) + style.blue("-->") + " " + location(site))
            if let line = (source ?? SourceLines(checked)).line(site) {
                let quoted = SafeText.sourceLine(line, column: site.column)
                let bar = spaces(gutter + 1) + style.blue("|")
                let number = String(site.line)
                let carets = String(repeating: "^", count: Swift.max(1, Swift.min(site.text?.count ?? 1, SafeText.sourceWidth)))
                lines.append(bar)
                lines.append(style.blue(spaces(gutter - number.count) + number + " |") + " " + quoted.text)
                lines.append(bar + " " + spaces(Swift.max(0, quoted.column - 1)) + style.severity(finding.severity, carets))
            }
            if let probe = finding.probe { lines.append(note(gutter, "probe", probe)) }
        } else if let probe = finding.probe {
            lines.append(spaces(gutter) + style.blue("-->") + " probe \(safe(probe))")
        }
        lines += finding.notes.map { note(gutter, "note", $0) }
        lines.append(note(gutter, "fix", finding.fix))
        return lines
    }

    /// `error[LD101] floor-division: message`: the first line of a finding's block.
    func headline(_ finding: Finding) -> String {
        style.severity(finding.severity, "\(finding.severity.rawValue)[\(safe(finding.code))]")
            + style.bold(" \(safe(finding.name)): \(safe(finding.message))")
    }

    /// `file:line:column`, as compilers point at source.
    func location(_ site: SourceSite) -> String { "\(safe(site.file)):\(site.line):\(site.column)" }

    private func note(_ gutter: Int, _ label: String, _ text: String) -> String {
        String(repeating: " ", count: gutter + 1) + style.blue("=") + " " + style.bold(label + ":") + " " + safe(text)
    }

    /// The probe tables: loss values and gradient norms (rows: prediction, columns: mask), then the sweeps.
    func probeTables(_ evidence: Evidence) -> [String] {
        let masks = MaskKind.allCases
        func table(_ title: String, _ cell: (Observation) -> String) -> [String] {
            let rows = PredictionKind.allCases.map { prediction in
                [prediction.rawValue] + masks.map { mask in evidence.observation(mask, prediction).map(cell) ?? "raised" }
            }
            let table = TextTable(header: ["prediction"] + masks.map(\.rawValue), rows: rows,
                                  rightAligned: Set(1...masks.count))
            return [style.bold(title)] + table.render(style: style)
        }
        var lines = table("loss value by probe (rows: prediction, columns: target mask)") { formatNumber($0.value) }
        lines.append("")
        lines += table("gradient norm by probe (none: no gradient path, zero: exactly zero)") { observation in
            switch observation.gradient.state {
            case .missing: "none"
            case .zero: "zero"
            case .nonFinite, .healthy: formatNumber(observation.gradient.norm)
            }
        }
        if !evidence.sweeps.isEmpty {
            lines.append("")
            lines.append(style.bold("sweeps (loss along a straight path between two predictions)"))
            let rows = evidence.sweeps.map { sweep in
                let at = { (i: Int) in sweep.values.indices.contains(i) ? formatNumber(sweep.values[i]) : "-" }
                return ["\(sweep.from.rawValue) -> \(sweep.to.rawValue)", sweep.mask.rawValue,
                        at(0), at(sweep.values.count / 2), at(sweep.values.count - 1),
                        "\(sweep.distinctValues) of \(sweep.values.count)"]
            }
            lines += TextTable(header: ["path", "mask", "start", "middle", "end", "distinct values"], rows: rows,
                               rightAligned: [2, 3, 4]).render(style: style)
        }
        if let simulation = evidence.simulation {
            lines.append("")
            lines += simulationTable(simulation)
        }
        if !evidence.failures.isEmpty {
            lines.append("")
            lines.append(style.bold("probes that raised"))
            lines += evidence.failures.map { "  \(safe($0.probe)): \(safe($0.message))" }
        }
        return lines
    }

    /// The simulated run next to the healthy references: curves as sparklines, the Dice target, accuracy.
    func simulationTable(_ simulation: SimulationEvidence) -> [String] {
        let run = simulation.run
        let title = style.bold("simulated training (tiny model, Adam, \(run.budget.steps) steps; validation masks "
                               + "\(formatNumber(run.foregroundFraction * 100, significant: 2)) % foreground)")
        if let failure = run.failure, run.points.isEmpty { return [title, "  the run could not start: \(safe(failure))"] }
        func curve(_ values: [Double]) -> String {
            Sparkline.render(values, width: 20) + "  " + formatNumber(values.first ?? .nan) + " -> " + formatNumber(values.last ?? .nan)
        }
        let target = formatNumber(simulation.diceTarget)
        let steps = run.stepsToDice(simulation.diceTarget).map(String.init) ?? "never"
        let medianSteps = simulation.referenceMedianSteps
        let rows = [
            [safe(run.lossName), curve(run.validationLosses.map(Double.init)), curve(run.validationDice), steps,
             run.final.map { formatNumber($0.accuracy) } ?? "-"],
            ["healthy references (median)", "-", "final " + formatNumber(simulation.referenceMedianDice),
             medianSteps > Double(run.budget.steps) ? "never" : formatNumber(medianSteps), "-"],
        ]
        var lines = [title] + TextTable(header: ["run", "validation loss", "validation Dice", "Dice \(target) at step",
                                                 "final accuracy"], rows: rows).render(style: style)
        if run.delivery != .healthy {
            lines.append("  gradient reaching the model's parameters: \(run.delivery.rawValue)")
        }
        if let step = run.firstNonFiniteStep { lines.append("  first non-finite loss or gradient at step \(step)") }
        if let failure = run.failure { lines.append("  the run \(safe(failure)); a run cut short is not judged") }
        return lines
    }

    /// `NAME: 1 error, 1 warning, 1 info`, then the verdict.
    func summary(_ report: Report) -> [String] {
        let counts = [(report.count(.error), "error", "errors"), (report.count(.warning), "warning", "warnings"),
                      (report.count(.info), "info", "info")]
            .map { count, one, many in "\(count) \(count == 1 ? one : many)" }
        return [style.bold("\(safe(report.loss)): ") + counts.joined(separator: ", "), verdict(report)]
    }

    /// One sentence: whether the loss can train, naming the rules that decide it.
    func verdict(_ report: Report) -> String {
        func names(_ findings: [Finding]) -> String {
            var seen = Set<String>()
            return findings.filter { seen.insert($0.code).inserted }.map { "\(safe($0.name)) (\(safe($0.code)))" }
                .joined(separator: ", ")
        }
        let errors = report.findings.filter { $0.severity == .error }
        if !report.evidence.wasProbed {
            return style.severity(.error, "could not be analysed: ") + names(errors)
        }
        // No gradient, or a simulated run that goes nowhere: training cannot start, not merely go wrong.
        let fatal = errors.filter { ["gradient", "training"].contains(RuleRegistry.rule($0.code)?.description.category) }
        if !fatal.isEmpty {
            return style.severity(.error, "this loss cannot train: ") + names(fatal)
        }
        if !errors.isEmpty {
            return style.severity(.error, "this loss cannot train correctly: ") + names(errors)
        }
        let warnings = report.findings.filter { $0.severity == .warning }
        if !warnings.isEmpty {
            return style.severity(.warning, "this loss trains, but badly or fragilely: ") + names(warnings)
        }
        return style.green("no defects found")
    }

    /// The closing line of a check over files: `2 files, 7 losses, 2 could not be analysed: 3 errors, 1 warning`
    /// (a file that could not be read or parsed counts among those not analysed, not among the losses).
    func renderTotals(_ losses: [CheckedLoss]) -> String {
        var files = Set<String>(), lossCount = 0, failed = 0
        for checked in losses {
            let wasProbed = checked.report.evidence.wasProbed
            if !wasProbed { failed += 1 }
            guard case .file(let path, _) = checked.input.origin else { lossCount += 1; continue }
            files.insert(path)
            if wasProbed || checked.report.loss != path { lossCount += 1 }
        }
        var errors = 0, warnings = 0
        for finding in losses.lazy.flatMap(\.report.findings) {
            if finding.severity == .error { errors += 1 } else if finding.severity == .warning { warnings += 1 }
        }
        func plural(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
        var line = plural(files.count, "file", "files") + ", " + plural(lossCount, "loss", "losses")
        if failed > 0 { line += ", \(failed) could not be analysed" }
        line += ": " + plural(errors, "error", "errors") + ", " + plural(warnings, "warning", "warnings")
        return style.bold(line) + "\n"
    }

    /// The `check --all` table: one row per loss, whether its findings match what the reference set expects.
    func renderSummary(_ losses: [CheckedLoss]) -> String {
        let rows = losses.map { checked -> [String] in
            let report = checked.report
            var match = "-"
            if let expected = checked.expectedCodes {
                match = report.codes == expected ? "yes" : "no, expected " + (expected.isEmpty ? "nothing" : expected.joined(separator: " "))
            }
            return [safe(report.loss), report.evidence.domain.displayName, checked.isHealthy ? "healthy" : "broken",
                    report.codes.isEmpty ? "-" : report.codes.joined(separator: " "), match]
        }
        var lines = TextTable(header: ["loss", "domain", "verdict", "codes found", "as expected"], rows: rows)
            .render(style: style)
        let broken = losses.filter { !$0.isHealthy }.count
        let mismatches = losses.filter { $0.matchesExpected == false }.map { safe($0.report.loss) }
        lines.append("")
        var total = "\(losses.count) losses: \(losses.count - broken) healthy, \(broken) broken"
        if losses.contains(where: { $0.matchesExpected != nil }) {
            total += mismatches.isEmpty
                ? "; every built-in matches its expected findings"
                : "; \(mismatches.count) do not match their expected findings: \(mismatches.joined(separator: ", "))"
        }
        lines.append(total)
        return lines.joined(separator: "\n") + "\n"
    }
}

/// ANSI styling, or none: every styled span goes through here, so colour is one switch.
struct TextStyle: Sendable {
    let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Whether to colour: `always`, `never`, or `auto` (a TTY, `NO_COLOR` unset or empty, `TERM` not `dumb`).
    static func colorEnabled(_ mode: String, stdoutIsTTY: Bool, environment: [String: String]) -> Bool {
        switch mode {
        case "always": return true
        case "never": return false
        default:
            return stdoutIsTTY && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func blue(_ text: String) -> String { wrap(text, "1;34") }
    func green(_ text: String) -> String { wrap(text, "1;32") }

    /// Bold red for errors, bold yellow for warnings, bold cyan for info.
    func severity(_ severity: Severity, _ text: String) -> String {
        switch severity {
        case .error: wrap(text, "1;31")
        case .warning: wrap(text, "1;33")
        case .info: wrap(text, "1;36")
        }
    }
}

/// A plain-text table: columns padded to their widest cell, two spaces apart, a bold header; the last
/// column wraps at `maxWidth` so long summaries stay readable.
struct TextTable: Sendable {
    var header: [String]
    var rows: [[String]]
    /// Columns aligned right (numbers).
    var rightAligned: Set<Int> = []
    /// Total width at which the last column wraps onto continuation lines.
    var maxWidth = 120

    init(header: [String], rows: [[String]], rightAligned: Set<Int> = [], maxWidth: Int = 120) {
        self.header = header
        self.rows = rows
        self.rightAligned = rightAligned
        self.maxWidth = maxWidth
    }

    func render(style: TextStyle = TextStyle(enabled: false)) -> [String] {
        let last = header.count - 1
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = Swift.max(widths[i], cell.count) } }
        let indent = String(repeating: " ", count: widths.dropLast().reduce(0) { $0 + $1 + 2 })
        func padded(_ cell: String, _ i: Int) -> String {
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return rightAligned.contains(i) ? pad + cell : cell + pad
        }
        func lines(_ cells: [String]) -> [String] {
            let start = cells.indices.dropLast().map { padded(cells[$0], $0) + "  " }.joined()
            let wrapped = rightAligned.contains(last)
                ? [padded(cells[last], last)]
                : wrap(cells[last], width: Swift.max(20, maxWidth - indent.count))
            return ([start + wrapped[0]] + wrapped.dropFirst().map { indent + $0 }).map(trimmed)
        }
        return lines(header).map(style.bold) + rows.flatMap(lines)
    }

    private func trimmed(_ s: String) -> String {
        String(s.reversed().drop { $0 == " " }.reversed())
    }
}

/// Splits text into lines of at most `width` characters at spaces (a longer word gets its own line).
func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        if current.isEmpty {
            current = String(word)
        } else if current.count + 1 + word.count <= width {
            current += " " + word
        } else {
            lines.append(current)
            current = String(word)
        }
    }
    lines.append(current)
    return lines
}

/// The lines of a checked file, split once per loss (not once per finding: 12,000 findings on a 1 MB
/// file made the report quadratic).
struct SourceLines {
    let path: String?
    let lines: [Substring]

    init(_ checked: CheckedLoss) {
        if case .file(let path, let text) = checked.input.origin {
            self.path = path
            lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        } else {
            path = nil
            lines = []
        }
    }

    /// Line `site.line` (1-based) when the site points into this file.
    func line(_ site: SourceSite) -> Substring? {
        guard site.file == path, site.line >= 1, site.line <= lines.count else { return nil }
        return lines[site.line - 1]
    }
}
