import Foundation
import Testing
@testable import LossDoctor

/// Issue 16, step 2: nothing the checked code or its file names say reaches a terminal or a CI log raw.
@Suite("Human-readable output is never raw")
struct OutputInjectionTests {
    static let payload = #"\n::error file=README.md,line=1::forged\x1b[31mred\x07\x00\u202eevil\u2028x"#
    static let source = "import torch\n\ndef injected_loss(pred, target):\n    raise ValueError(\"\(payload)\")\n"

    /// Every byte a terminal or a GitHub runner would act on.
    static func isRaw(_ text: String) -> Bool {
        text.unicodeScalars.contains { SafeText.needsEscape($0, keepTabs: true) && $0 != "\n" }
            || text.split(separator: "\n").contains { $0.hasPrefix("::") }
    }

    @Test("escapes: controls, ESC, BEL, NUL, bidi controls and line separators, as Python writes them")
    func escapes() {
        #expect(SafeText.escaped("a\u{1B}[31mb\u{07}\u{0}\u{202E}c\u{2028}\r\n\u{9B}\u{7F}") == #"a\x1b[31mb\x07\x00\u202ec\u2028\r\n\x9b\x7f"#)
        #expect(SafeText.escaped("plain é ∑ 😀") == "plain é ∑ 😀")
        #expect(SafeText.escaped("a\tb") == #"a\tb"#)
        #expect(SafeText.escaped("a\tb", keepTabs: true) == "a\tb")
    }

    @Test("no line of rendered text starts with '::'")
    func commands() {
        #expect(SafeText.withoutCommands("::error::x\nok\n::warning::y") == "\\x3a:error::x\nok\n\\x3a:warning::y")
        #expect(SafeText.withoutCommands("a ::b") == "a ::b")
    }

    @Test("a long source line is quoted as a bounded slice around the column, the caret still under it")
    func longLine() {
        let line = String(repeating: "a", count: 5000) + "XY" + String(repeating: "b", count: 5000)
        let quoted = SafeText.sourceLine(line[...], column: 5001)
        #expect(quoted.text.count <= SafeText.sourceWidth + 6)
        #expect(quoted.text.hasPrefix("...") && quoted.text.hasSuffix("..."))
        let characters = Array(quoted.text)
        #expect(characters[quoted.column - 1] == "X")
        let escaped = SafeText.sourceLine("\u{1B}\u{1B}XY"[...], column: 3)
        #expect(escaped.text == #"\x1b\x1bXY"#)
        #expect(Array(escaped.text)[escaped.column - 1] == "X")
    }

    @Test("a loss raising a forged workflow command, from a file named like one: the text report stays inert")
    func textReport() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/loss-doctor-injection-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let named = directory + "/::error file=a::b\n::warning \u{1B}[2J.py"
        try Self.source.write(toFile: directory + "/inj.py", atomically: true, encoding: .utf8)
        try Self.source.write(toFile: named, atomically: true, encoding: .utf8)
        for format in ["text", "github"] {
            let result = CLI.run(["check", directory + "/inj.py", named, "--no-simulate", "--format", format, "--color", "always", "--timeout", "600"])
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            let withoutColour = result.stdout.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            let lines = withoutColour.split(separator: "\n")
            if format == "text" {
                #expect(!Self.isRaw(withoutColour), "\(withoutColour)")
                #expect(withoutColour.contains(#"forged\x1b[31mred\x07\x00\u202eevil\u2028x"#))
            } else {
                // Real annotations only: one per finding, each on its own line, nothing forged.
                #expect(lines.allSatisfy { ["::error ", "::warning ", "::notice "].contains(where: $0.hasPrefix) })
                #expect(lines.filter { $0.contains("forged") }.count == 2)
                #expect(!withoutColour.contains("\u{1B}") && !withoutColour.contains("\u{202E}"))
            }
        }
    }

    @Test("usage errors quote the command line escaped")
    func usageError() {
        let result = CLI.run(["check", "--select", "LD1\u{1B}]0;pwned\u{07}\n::error::x"])
        #expect(result.exitCode == 2)
        #expect(!Self.isRaw(result.stderr))
        #expect(result.stderr.contains(#"\x1b]0;pwned\x07\n::error::x"#))
    }
}
