import Foundation
import Testing
@testable import LossDoctor

/// Our JSON reader (the runner's evidence of `check --execute`): what our writer and Python's `json` write
/// reads back, malformed text and deep nesting are errors, never crashes.
@Suite("JSON parsing")
struct JSONParsingTests {
    static func parse(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: Array(text.utf8))
    }

    @Test("what our writer writes reads back as the same value")
    func roundTrip() throws {
        let value = JSONValue.object([
            "name": .string("dice \"loss\"\n\t\\ é 😀 \u{01}"), "n": .number(-12), "x": .number(0.1), "tiny": .number(1e-07),
            "flags": .array([.bool(true), .bool(false), .null]), "nested": .object(["empty": .array([]), "none": .object([:])]),
            "nan": .number(Double.nan),
        ])
        #expect(try Self.parse(value.serialized()) == value)
        let report = JSONRenderer().finding(try #require(CLI.report("dice-floor", options: CheckOptions(simulate: false)).findings.first))
        #expect(try Self.parse(report.serialized()) == report)
    }

    @Test("Python's json output: escapes, surrogate pairs, numbers, and the accessors the runner's evidence needs")
    func pythonOutput() throws {
        let value = try Self.parse(#" {"protocol": 1, "s": "caf\u00e9 \ud83d\ude00 \/", "line": [3, 5.0], "v": -1.5e-3, "e": null} "#)
        #expect(value["protocol"]?.intValue == 1)
        #expect(value["s"]?.stringValue == "café 😀 /")
        #expect(value["line"]?.arrayValue?.compactMap(\.intValue) == [3, 5])
        #expect(value["v"]?.doubleValue == -0.0015)
        #expect(value["v"]?.intValue == nil)
        #expect(value["e"] == .null)
        #expect(value["missing"] == nil)
        #expect(value["s"]?["x"] == nil)
        #expect(try Self.parse(#"[{"a": 1}, {}]"#).objectArrayValue?.count == 2)
        #expect(try Self.parse(#"[{"a": 1}, 2]"#).objectArrayValue == nil)
    }

    @Test("malformed JSON is an error", arguments: [
        "", "   ", "{", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "01", "1.", "-", "1e", "+1", "nul", "tru", "NaN", "Infinity",
        "\"unterminated", "\"bad \\x escape\"", "\"\\ud83d alone\"", "\"\\udc00\"", "\"tab\there\"", "{} {}", "[1] x", "{1: 2}",
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONValue.ParseError.self) { try Self.parse(text) }
    }

    @Test("invalid UTF-8 in a string is an error")
    func invalidUTF8() {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
    }

    @Test("nesting deeper than the limit is an error, not a stack overflow")
    func deepNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONValue.ParseError.self) { try Self.parse(deep) }
        let allowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try Self.parse(allowed).arrayValue?.count == 1)
    }
}
