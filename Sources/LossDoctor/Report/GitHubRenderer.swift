/// GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding, which the
/// runner turns into annotations on the pull request's diff at the finding's line.
///
/// `::error file=src/losses.py,line=9,col=35,endLine=9,endColumn=37,title=LD101 floor-division::message`
///
/// The message escapes `%`, CR and LF (so notes can follow on their own lines); property values escape
/// `:` and `,` as well, which would otherwise end the property.
struct GitHubRenderer: Sendable {
    /// The directory file paths are relative to (the repository root, as the runner expects).
    var root: String?

    init(root: String? = nil) {
        self.root = root
    }

    func render(_ losses: [CheckedLoss]) -> String {
        losses.flatMap { checked in checked.report.findings.filter { $0.consequenceOf == nil }.map { line($0, checked) + "\n" } }.joined()
    }

    /// Annotation levels: info is a `notice`.
    static func command(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "notice"
        }
    }

    func line(_ finding: Finding, _ checked: CheckedLoss) -> String {
        var properties: [(String, String)] = []
        if let site = finding.site {
            properties.append(("file", RepositoryPath.relative(site.file, root: root)))
            properties.append(("line", String(site.line)))
            properties.append(("col", String(site.column)))
            if let text = site.text, !text.isEmpty, !text.contains("\n") {
                properties.append(("endLine", String(site.line)))
                properties.append(("endColumn", String(site.column + text.unicodeScalars.count)))
            }
        }
        let title = "\(finding.code) \(finding.name)" + (finding.site == nil ? " (\(checked.report.loss))" : "")
        properties.append(("title", title))
        // Controls and bidi overrides escaped like the text report: the annotation shows what the code says.
        let message = ([finding.message + " (loss \(checked.report.loss))"] + finding.notes + ["fix: " + finding.fix])
            .map { SafeText.escaped($0, keepNewlines: true) }.joined(separator: "\n")
        return "::\(Self.command(finding.severity)) "
            + properties.map { "\($0.0)=\(Self.escapeProperty(SafeText.escaped($0.1)))" }.joined(separator: ",")
            + "::" + Self.escapeData(message)
    }

    /// A command's message: `%`, CR and LF percent-encoded (by scalar: a CRLF is one `Character`).
    static func escapeData(_ text: String) -> String {
        escape(text, [:])
    }

    /// A property value: as the message, plus `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        escape(text, [":": "%3A", ",": "%2C"])
    }

    private static func escape(_ text: String, _ extra: [Unicode.Scalar: String]) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default:
                if let replacement = extra[scalar] { out += replacement } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
