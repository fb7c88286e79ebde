/// `Finding` and `Report` are `Codable` as the objects of the JSON report (`loss-doctor check --format json`,
/// `docs/json-schema.md`): encoding is `JSONRenderer`'s value for them, so the format is stated once, and
/// decoding reads that value back. With `JSONEncoder` and `.sortedKeys` a report encodes to the same JSON
/// as the CLI's `losses[i]` (the CLI indents it differently); a loss of the CLI's JSON decodes to a `Report`.
extension Finding: Codable {
    /// Writes the finding as the JSON report writes it: `location` for `site` (without its source text),
    /// `consequence_of`, and NaN or infinite numbers as the strings `"nan"`, `"inf"`, `"-inf"`.
    public func encode(to encoder: any Encoder) throws {
        try JSONRenderer().finding(self).encode(to: encoder)
    }

    /// Reads a finding of the JSON report. What JSON does not carry is left empty: the site's source text,
    /// and a consequence's own severity (a decoded consequence stays `info` even when its root is absent).
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        guard let finding = Finding(json: json) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath,
                                                                    debugDescription: "not a finding of the JSON report"))
        }
        self = finding
    }

    /// The finding `JSONRenderer.finding` wrote, nil when a member is missing or of the wrong type.
    init?(json: JSONValue) {
        guard let code = json["code"]?.stringValue, let name = json["name"]?.stringValue,
              let severity = json["severity"]?.stringValue.flatMap(Severity.init(rawValue:)),
              let message = json["message"]?.stringValue, let fix = json["fix"]?.stringValue,
              let notes = json["notes"]?.arrayValue?.compactMap(\.stringValue), let members = json["numbers"]?.objectValue
        else { return nil }
        var numbers: [String: Double] = [:]
        for (key, value) in members {
            guard let number = value.doubleValue ?? value.stringValue.flatMap(Self.nonFinite) else { return nil }
            numbers[key] = number
        }
        var site: SourceSite? = nil
        if let location = json["location"], location != .null {
            guard let file = location["file"]?.stringValue, let line = location["line"]?.intValue,
                  let column = location["column"]?.intValue else { return nil }
            site = SourceSite(file: file, line: line, column: column)
        }
        self.init(code: code, name: name, severity: severity, message: message, notes: notes,
                  probe: json["probe"]?.stringValue, site: site, fix: fix, numbers: numbers)
        consequenceOf = json["consequence_of"]?.stringValue
    }

    /// The numbers JSON has no literal for, as `JSONValue.number` writes them.
    private static func nonFinite(_ text: String) -> Double? {
        switch text {
        case "nan": .nan
        case "inf": .infinity
        case "-inf": -.infinity
        default: nil
        }
    }
}

extension Report: Codable {
    /// Writes the report as one loss of the JSON report: its findings, what was checked, the probe
    /// table, the sweeps and the simulated run.
    public func encode(to encoder: any Encoder) throws {
        try JSONRenderer().loss(CheckedLoss(input: CheckInput(unprobed: loss, origin: checkedAs), report: self)).encode(to: encoder)
    }

    /// Reads one loss of the JSON report: its name, domain, layout and findings, and what was checked (a
    /// built-in by its name, a file by its path). The evidence behind the findings is left empty (probes,
    /// sweeps, simulated run, `origin`): it is written for people and plots, not read back, so a decoded
    /// report equals the original (same loss, same findings) but encodes with empty tables.
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        func corrupted(_ reason: String) -> DecodingError {
            .dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: reason))
        }
        guard let name = json["name"]?.stringValue, let items = json["findings"]?.arrayValue else {
            throw corrupted("not a loss of the JSON report: no `name` or `findings`")
        }
        let findings = items.compactMap(Finding.init(json:))
        guard findings.count == items.count else { throw corrupted("a finding of `\(name)` lacks a member or has the wrong type") }
        let domain = InputDomain.allCases.first { $0.displayName == json["domain"]?.stringValue } ?? .probabilities
        let layout = json["layout"]?.stringValue.flatMap(Layout.init(rawValue:)) ?? .channelsLast
        let evidence = Evidence(lossName: name, domain: domain, layout: layout, observations: [], sweeps: [], scale: nil,
                                terms: [], graphFacts: [], failures: [])
        self.init(loss: name, findings: findings, evidence: evidence)
        switch json["origin"]?["kind"]?.stringValue {
        case "built-in": checkedAs = ReferenceLosses.named(name).map(CheckInput.Origin.builtin) ?? .swift
        case "file": checkedAs = .file(path: json["origin"]?["path"]?.stringValue ?? "", text: "")
        default: checkedAs = .swift
        }
    }
}
