/// A suppression comment in a checked file:
///
/// - `# loss-doctor: ignore[LD101]` or `# loss-doctor: ignore[LD101, piecewise-constant]`: these rules;
///   `# loss-doctor: ignore`: every rule.
/// - `# noqa: LD101` (flake8/ruff style): the `LD` codes listed (other tools' codes are theirs); a bare
///   `# noqa` silences every rule but, belonging to every linter, is never reported as unused.
///
/// On the line of a finding it silences that finding. On a `def` or `class` line it silences the rule in
/// the whole definition, and on the line of a loss's `def` (or `class`) in every finding of that loss,
/// wherever the finding points (helpers it calls, value-based findings).
struct Suppression: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `# loss-doctor: ignore[...]`.
        case lossDoctor
        /// `# noqa: ...`.
        case noqa
    }

    let kind: Kind
    /// The rule codes it names; nil for every rule.
    let codes: [String]?
    /// Where the directive starts (its `#`), and its text.
    let site: SourceSite
    /// Names in the brackets that are no rule, reported as LD606.
    let unknown: [String]
    /// Why the directive could not be read (`# loss-doctor: ignroe`), reported as LD606.
    let malformed: Malformed?

    /// How a `# loss-doctor:` directive fails to be one (`UnusedSuppressionRule` words it).
    enum Malformed: Sendable, Equatable {
        /// A word other than `ignore`, or the text after `loss-doctor:` when no word starts it.
        case unknownDirective(String)
        /// `ignore` followed by something other than `[` (its first characters).
        case expectedBracket(found: String)
        /// `ignore[` with no closing `]`.
        case missingBracket
        /// `ignore[]`.
        case noCodes
    }

    /// Whether it silences findings of the rule `code`.
    func covers(_ code: String) -> Bool { codes?.contains(code) ?? true }

    /// The directives in one comment: a comment may hold several (`# type: ignore  # noqa: LD101`).
    static func parse(_ comment: Comment, file: String) -> [Suppression] {
        var found: [Suppression] = []
        let text = comment.text
        var search = text.startIndex
        while let hash = text[search...].firstIndex(of: "#") {
            search = text.index(after: hash)
            let rest = text[search...].drop { $0 == " " || $0 == "\t" }
            let column = comment.location.column + text.unicodeScalars.distance(from: text.startIndex, to: hash)
            let site = { (end: Substring.Index) in
                SourceSite(file: file, line: comment.location.line, column: column, text: String(text[hash..<end]).trimmingWhitespace())
            }
            if rest.lowercased().hasPrefix("loss-doctor:") {
                found.append(lossDoctor(rest.dropFirst("loss-doctor:".count), site: site))
            } else if rest.lowercased().hasPrefix("noqa") {
                if let directive = noqa(rest.dropFirst(4), site: site) { found.append(directive) }
            }
        }
        return found
    }

    /// After `loss-doctor:`: `ignore`, or `ignore[` selectors `]`.
    private static func lossDoctor(_ rest: Substring, site: (Substring.Index) -> SourceSite) -> Suppression {
        let body = rest.drop { $0 == " " || $0 == "\t" }
        let word = body.prefix { $0.isLetter || $0 == "-" || $0 == "_" }
        guard word == "ignore" else {
            let end = body.firstIndex(of: "#") ?? body.endIndex
            return Suppression(kind: .lossDoctor, codes: [], site: site(end), unknown: [],
                               malformed: .unknownDirective(word.isEmpty ? String(body[..<end]).trimmingWhitespace() : String(word)))
        }
        let after = body[word.endIndex...]
        guard after.first == "[" else {
            // Bare `ignore`: every rule, if nothing but a comment or the end follows.
            let tail = after.drop { $0 == " " || $0 == "\t" }
            if tail.isEmpty || tail.first == "#" { return Suppression(kind: .lossDoctor, codes: nil, site: site(word.endIndex), unknown: [], malformed: nil) }
            return Suppression(kind: .lossDoctor, codes: [], site: site(after.endIndex), unknown: [],
                               malformed: .expectedBracket(found: String(tail.prefix(12))))
        }
        guard let close = after.firstIndex(of: "]") else {
            return Suppression(kind: .lossDoctor, codes: [], site: site(after.endIndex), unknown: [],
                               malformed: .missingBracket)
        }
        var codes: [String] = []
        var unknown: [String] = []
        for item in after[after.index(after: after.startIndex)..<close].split(separator: ",") {
            let name = item.trimmingWhitespace()
            guard !name.isEmpty else { continue }
            // A suppression names rules exactly: a code or a name, not a prefix.
            if let rule = RuleRegistry.rule(name) { codes.append(rule.description.code) } else { unknown.append(name) }
        }
        if codes.isEmpty && unknown.isEmpty {
            return Suppression(kind: .lossDoctor, codes: [], site: site(after.index(after: close)), unknown: [],
                               malformed: .noCodes)
        }
        return Suppression(kind: .lossDoctor, codes: codes, site: site(after.index(after: close)), unknown: unknown, malformed: nil)
    }

    /// After `noqa`: nothing (every rule), or `:` and codes separated by commas or spaces. Only `LD` codes
    /// are ours; a `# noqa: E501` is another tool's and yields nothing.
    private static func noqa(_ rest: Substring, site: (Substring.Index) -> SourceSite) -> Suppression? {
        if rest.first?.isLetter == true || rest.first?.isNumber == true { return nil }  // `noqa` inside a word
        let afterSpaces = rest.drop { $0 == " " || $0 == "\t" }
        guard afterSpaces.first == ":" else {
            return Suppression(kind: .noqa, codes: nil, site: site(rest.startIndex), unknown: [], malformed: nil)
        }
        var end = afterSpaces.index(after: afterSpaces.startIndex)
        var words: [String] = []
        var current = ""
        // Codes are a letter run and digits, separated by commas and spaces; anything else ends the list.
        for index in afterSpaces[end...].indices {
            let c = afterSpaces[index]
            if c.isLetter || c.isNumber {
                current.append(c)
                end = afterSpaces.index(after: index)
            } else if c == "," || c == " " || c == "\t" {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                break
            }
        }
        if !current.isEmpty { words.append(current) }
        let ours = words.filter { $0.uppercased().hasPrefix("LD") }
        guard !ours.isEmpty else { return nil }
        var codes: [String] = []
        var unknown: [String] = []
        for word in ours {
            if let rule = RuleRegistry.rule(word) { codes.append(rule.description.code) } else { unknown.append(word) }
        }
        return Suppression(kind: .noqa, codes: codes, site: site(end), unknown: unknown, malformed: nil)
    }
}

/// The suppressions of one file and the line spans of its definitions: enough to filter the reports of
/// its losses and to say which suppressions silenced nothing.
struct FileSuppressions: Sendable {
    let file: String
    let suppressions: [Suppression]
    /// Each `def` and `class`: its header line, and the last line of its body (up to the next statement).
    let definitions: [ClosedRange<Int>]
    /// The first definition headed on each line, for lookups in constant time.
    let definitionsByHeader: [Int: ClosedRange<Int>]

    /// The suppression comments of a parsed module.
    init(module: Module, file: String, lineCount: Int) {
        self.file = file
        suppressions = module.comments.flatMap { Suppression.parse($0, file: file) }
        var spans: [ClosedRange<Int>] = []
        func collect(_ statements: [Stmt], end: Int) {
            for (index, statement) in statements.enumerated() {
                let next = index + 1 < statements.count ? Swift.max(statements[index + 1].location.line - 1, statement.location.line) : end
                switch statement.kind {
                case .functionDef(let definition):
                    let header = definition.nameLocation.line
                    spans.append(header...Swift.max(header, next))
                    collect(definition.body, end: Swift.max(header, next))
                case .classDef(let definition):
                    let header = definition.nameLocation.line
                    spans.append(header...Swift.max(header, next))
                    collect(definition.body, end: Swift.max(header, next))
                default:
                    break
                }
            }
        }
        collect(module.statements, end: Swift.max(lineCount, 1))
        definitions = spans
        definitionsByHeader = Dictionary(spans.map { ($0.lowerBound, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The definition whose header is on `line`, if any.
    func definition(headedAt line: Int) -> ClosedRange<Int>? { definitionsByHeader[line] }

    /// The innermost definition containing `line`.
    func definition(containing line: Int) -> ClosedRange<Int>? {
        definitions.filter { $0.contains(line) }.min { $0.count < $1.count }
    }

    /// The reports with suppressed findings removed, and an LD606 finding for each suppression that
    /// silenced nothing (or names no rule, or cannot be read).
    /// - Parameters:
    ///   - reports: the reports of this file's losses that were checked.
    ///   - wholeFile: whether every loss of the file was checked; otherwise (`--function`) only the
    ///     suppressions inside the checked losses' definitions can be judged unused.
    func apply(to reports: [Report], wholeFile: Bool) -> [Report] {
        guard !reports.isEmpty else { return reports }
        var used = Set<[Int]>()  // [suppression index, rule index]; rule index -1: a blanket suppression
        let ruleIndex = { (code: String) in RuleRegistry.all.firstIndex { $0.description.code == code } ?? -2 }
        // Only the suppressions on a finding's line, on its loss's line, or heading a definition around it
        // can apply: indexed by line, so 20,000 comments and as many findings stay linear (85 s before).
        var byLine: [Int: [Int]] = [:]
        var onHeaders: [(index: Int, span: ClosedRange<Int>)] = []
        for (index, suppression) in suppressions.enumerated() where suppression.malformed == nil {
            byLine[suppression.site.line, default: []].append(index)
            if let span = definition(headedAt: suppression.site.line) { onHeaders.append((index, span)) }
        }
        var filtered: [Report] = []
        for report in reports {
            let lossLine = report.origin.flatMap { $0.site.file == file ? $0.site.line : nil }
            let kept = report.findings.filter { finding in
                var silenced = false
                let line = finding.site.flatMap { $0.file == file ? $0.line : nil }
                var candidates = Set<Int>()
                if let line { candidates.formUnion(byLine[line] ?? []) }
                if let lossLine { candidates.formUnion(byLine[lossLine] ?? []) }
                if let line { candidates.formUnion(onHeaders.lazy.filter { $0.span.contains(line) }.map(\.index)) }
                for index in candidates.sorted() {
                    let suppression = suppressions[index]
                    guard suppression.covers(finding.code) else { continue }
                    silenced = true
                    used.insert([index, suppression.codes == nil ? -1 : ruleIndex(finding.code)])
                }
                return !silenced
            }
            filtered.append(report.replacingFindings(kept))
        }
        // A suppression of a rule that could not run says nothing by its silence: the training rules
        // without the simulated run, anything in a loss that could not be evaluated.
        let simulated = reports.allSatisfy { $0.evidence.simulation != nil }
        guard reports.allSatisfy(\.evidence.wasProbed) else { return filtered }
        let lossSpans = reports.compactMap { report in
            report.origin.flatMap { $0.site.file == file ? definition(headedAt: $0.site.line) : nil }
        }
        let lossLines = Set(reports.compactMap { $0.origin.flatMap { $0.site.file == file ? $0.site.line : nil } })
        var unused: [(Int, Finding)] = []  // (report index, finding)
        for (index, suppression) in suppressions.enumerated() {
            let line = suppression.site.line
            guard wholeFile || lossSpans.contains(where: { $0.contains(line) }) else { continue }
            let owner = reports.indices.last { i in
                reports[i].origin.flatMap { $0.site.file == file ? definition(headedAt: $0.site.line)?.contains(line) : nil } == true
            } ?? 0
            let rule = UnusedSuppressionRule()
            if let reason = suppression.malformed {
                unused.append((owner, rule.malformed(suppression, reason)))
                continue
            }
            if !suppression.unknown.isEmpty {
                unused.append((owner, rule.unknownRules(suppression)))
            }
            guard let codes = suppression.codes else {
                // A bare `# noqa` belongs to every linter; a blanket ignore on a loss's line may be for a
                // training rule that did not run.
                let unverifiable = suppression.kind == .noqa || (!simulated && lossLines.contains(line))
                if !unverifiable && !used.contains([index, -1]) { unused.append((owner, rule.unused(suppression, codes: nil))) }
                continue
            }
            let silent = codes.filter { code in
                !used.contains([index, ruleIndex(code)]) && (simulated || RuleRegistry.rule(code)?.description.category != "training")
            }
            if !silent.isEmpty { unused.append((owner, rule.unused(suppression, codes: silent))) }
        }
        // One replacement per report: a report sorts its findings when built, so adding them one at a time
        // was quadratic (20,000 unused suppressions: 67 s).
        for (owner, findings) in Dictionary(grouping: unused, by: \.0) {
            filtered[owner] = filtered[owner].replacingFindings(filtered[owner].findings + findings.map(\.1))
        }
        return filtered
    }
}
