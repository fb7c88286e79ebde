/// SARIF 2.1.0, as GitHub code scanning ingests it (`github/codeql-action/upload-sarif`): one run whose
/// driver lists every rule from its `RuleDescription` (the text `explain` prints), and one result per
/// finding with a repository-relative location.
///
/// Findings in files always have a location: a value-based finding points at the loss's `def`, a file
/// that could not be analysed at the error (line 1 when nothing better is known). Built-in losses have no
/// source file: their results carry only a logical location naming the loss. That is valid SARIF, but
/// GitHub code scanning rejects a whole upload containing a result without a file location
/// (`locationFromSarifResult: expected artifact location`), so upload SARIF from checks of files.
struct SARIFRenderer: Sendable {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    /// The directory result URIs are relative to: the repository root (GitHub resolves them against the
    /// checkout). nil writes paths as given.
    var root: String?

    init(root: String? = nil) {
        self.root = root
    }

    func render(_ losses: [CheckedLoss]) -> String {
        document(losses).serialized()
    }

    func document(_ losses: [CheckedLoss]) -> JSONValue {
        var driver: [String: JSONValue] = [
            "name": .string("loss-doctor"),
            "version": .string(LossCheck.version),
            "semanticVersion": .string(LossCheck.version),
            "rules": .array(RuleRegistry.all.map { Self.rule($0.description) }),
        ]
        if let uri = LossCheck.informationURI { driver["informationUri"] = .string(uri) }
        let results = losses.flatMap { checked in checked.report.findings.map { result($0, checked) } }
        return .object([
            "$schema": .string(Self.schema),
            "version": .string("2.1.0"),
            "runs": .array([.object([
                "tool": .object(["driver": .object(driver)]),
                // Our columns count Unicode scalars (code points), not UTF-16 units.
                "columnKind": .string("unicodeCodePoints"),
                "results": .array(results),
            ])]),
        ])
    }

    /// SARIF's three levels: info is a `note`.
    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// A `reportingDescriptor`: what GitHub shows as the rule's title, description and help.
    static func rule(_ rule: RuleDescription) -> JSONValue {
        .object([
            "id": .string(rule.code),
            "name": .string(rule.name),
            "shortDescription": .object(["text": .string(rule.summary)]),
            "fullDescription": .object(["text": .string(rule.summary + " " + rule.rationale)]),
            "help": .object([
                "text": .string(RulePage.page(rule, markdown: false)),
                "markdown": .string(RulePage.page(rule, markdown: true)),
            ]),
            "defaultConfiguration": .object(["level": .string(level(rule.severity))]),
            "properties": .object(["tags": .array([.string(rule.category)])]),
        ])
    }

    func result(_ finding: Finding, _ checked: CheckedLoss) -> JSONValue {
        var result: [String: JSONValue] = [
            "ruleId": .string(finding.code),
            "level": .string(Self.level(finding.severity)),
            "message": .object(["text": .string(Self.message(finding, loss: checked.report.loss))]),
        ]
        if let index = RuleRegistry.all.firstIndex(where: { $0.description.code == finding.code }) {
            result["ruleIndex"] = .number(index)
        }
        var location: [String: JSONValue] = [:]
        if let site = finding.site {
            var region: [String: JSONValue] = ["startLine": .number(site.line), "startColumn": .number(site.column)]
            if let text = site.text, !text.isEmpty, !text.contains("\n") {
                region["endLine"] = .number(site.line)
                region["endColumn"] = .number(site.column + text.unicodeScalars.count)  // exclusive, as SARIF says
            }
            location["physicalLocation"] = .object([
                "artifactLocation": .object(["uri": .string(Self.uri(RepositoryPath.relative(site.file, root: root))),
                                             "uriBaseId": .string("%SRCROOT%")]),
                "region": .object(region),
            ])
        }
        let logical: [String: JSONValue] = checked.reference == nil
            ? ["name": .string(checked.report.loss), "kind": .string("function")]
            : ["name": .string(checked.report.loss), "fullyQualifiedName": .string("loss-doctor built-in " + checked.report.loss),
               "kind": .string("function")]
        location["logicalLocations"] = .array([.object(logical)])
        result["locations"] = .array([.object(location)])
        var properties: [String: JSONValue] = ["loss": .string(checked.report.loss), "name": .string(finding.name)]
        if let probe = finding.probe { properties["probe"] = .string(probe) }
        result["properties"] = .object(properties)
        return .object(result)
    }

    /// The message, its notes and the fix, as plain text (GitHub shows it under the alert).
    static func message(_ finding: Finding, loss: String) -> String {
        ([finding.message + " (loss `\(loss)`)"] + finding.notes.map { "- " + $0 } + ["Fix: " + finding.fix])
            .joined(separator: "\n")
    }

    /// A relative path as a URI reference: each segment percent-encoded (RFC 3986 unreserved characters kept).
    static func uri(_ path: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        var out = ""
        for byte in path.utf8 {
            if unreserved.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}

/// Paths as CI systems want them: relative to the repository root.
enum RepositoryPath {
    /// `path` relative to `root` when it lies inside it; otherwise as given, without a leading `./`.
    static func relative(_ path: String, root: String?) -> String {
        if let root, let relative = Paths.relative(Paths.absolute(path), to: Paths.normalized(root)) { return relative }
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }
}
