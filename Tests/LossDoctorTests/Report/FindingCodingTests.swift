import Foundation
import Testing
@testable import LossDoctor

/// `Finding` and `Report` are `Codable` as the JSON report's objects and `Equatable`, `Tensor` crosses tasks.
@Suite("finding and report values")
struct FindingCodingTests {
    /// Encodes as a user would: Foundation's coder, keys sorted so that two encodings compare byte for byte.
    static func encoded(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(value)
    }

    @Test("a report encodes as the CLI's JSON writes that loss, and decodes to an equal report")
    func reportIsTheJSONReport() throws {
        let report = try LossCheck.check(builtin: "dice-floor")
        let document = try JSONValue(parsing: Array(CLI.run("check --loss dice-floor --no-simulate --format json").stdout.utf8))
        let printed = try #require(document["losses"]?.arrayValue?.first)
        // The same members, values and number texts as the CLI's `losses[0]`, its probe table and sweeps included.
        #expect(try Self.encoded(report) == Self.encoded(printed))
        #expect(try Self.encoded(report.findings) == Self.encoded(try #require(printed["findings"])))
        #expect(printed["probes"]?.arrayValue?.isEmpty == false)

        let decoded = try JSONDecoder().decode(Report.self, from: Self.encoded(report))
        #expect(decoded == report)
        #expect(decoded.codes == ["LD101", "LD105", "LD405"])
        #expect(try Self.encoded(decoded.findings) == Self.encoded(report.findings))
        // LD105 is folded into LD101 (a consequence, as an info): the fold survives the round trip.
        #expect(decoded.findings.first { $0.code == "LD105" }?.consequenceOf == "LD101")
        // The CLI's own text (its writer, its indentation) decodes to the same report.
        #expect(try JSONDecoder().decode(Report.self, from: Data(printed.serialized().utf8)) == report)
        // What decoding cannot restore is said in `init(from:)`'s comment: the evidence tables come back empty.
        let reencoded = try JSONValue(parsing: Array(Self.encoded(decoded)))
        #expect(reencoded["probes"]?.arrayValue?.isEmpty == true && reencoded["findings"] == printed["findings"])
    }

    @Test("a file's finding keeps its location through the round trip; non-finite numbers come back as themselves")
    func findingRoundTrip() throws {
        let report = try #require(LossCheck.check(source: LossCheckTests.floorDice, file: "dice.py").reports.first)
        let floor = try #require(report.findings.first { $0.code == "LD101" })
        let decoded = try JSONDecoder().decode(Report.self, from: Self.encoded(report))
        #expect(decoded == report)
        let site = try #require(decoded.findings.first { $0.code == "LD101" }?.site)
        #expect((site.file, site.line, site.column) == ("dice.py", floor.site?.line, floor.site?.column))

        let odd = Finding(code: "LD999", name: "odd", severity: .warning, message: "m", fix: "f",
                          numbers: ["nan": .nan, "inf": .infinity, "minus_inf": -.infinity, "one": 1, "float32": Double(Float(0.9218))])
        let back = try JSONDecoder().decode(Finding.self, from: Self.encoded(odd))
        #expect(back == odd)
        #expect(back.numbers["nan"]?.isNaN == true && back.numbers["inf"] == .infinity && back.numbers["minus_inf"] == -.infinity)
        #expect(back.numbers["one"] == 1 && Float(back.numbers["float32"] ?? 0) == 0.9218)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Finding.self, from: Data(#"{"code": "LD101"}"#.utf8)) }
    }

    @Test("findings are equal when the JSON report shows them alike")
    func findingEquality() {
        let site = SourceSite(file: "a.py", line: 3, column: 5, text: "x // y")
        let finding = Finding(code: "LD101", name: "floor-division", severity: .error, message: "m", site: site, fix: "f")
        var untexted = site
        untexted.text = nil
        let sameShown = Finding(code: "LD101", name: "floor-division", severity: .error, message: "m", site: untexted, fix: "f")
        #expect(finding == sameShown && finding.hashValue == sameShown.hashValue)
        #expect(finding != Finding(code: "LD101", name: "floor-division", severity: .warning, message: "m", site: site, fix: "f"))
        #expect(finding != Finding(code: "LD101", name: "floor-division", severity: .error, message: "m", site: site, fix: "f",
                                   numbers: ["ratio": 0.5]))
    }

    @Test("reports of the same loss with the same findings are equal; different findings are not")
    func reportEquality() {
        let a = CLI.report("dice-floor", options: CheckOptions(simulate: false))
        let b = Report(loss: a.loss, findings: a.findings, evidence: .none(a.loss))
        #expect(a == b)
        #expect(a != Report(loss: a.loss, findings: Array(a.findings.dropFirst()), evidence: a.evidence))
    }

    @Test("a tensor can be evaluated in another task")
    func tensorSendable() async throws {
        let tensor = Tensor(shape: [2], scalars: [1, 2])
        let sum = await Task.detached { try? tensor.sum().scalars[0] }.value
        #expect(sum == 3)
    }
}
