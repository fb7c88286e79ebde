import Foundation
import Testing
@testable import LossDoctor

/// Issue 16, step 4: configuration and flags that crashed, overflowed or allocated gigabytes.
@Suite("No crash on any configuration or flag")
struct NoCrashTests {
    @Test("deeply nested arrays, inline tables and dotted keys are a located TOML error, not a stack overflow",
          arguments: [
              "x = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
              "x = " + String(repeating: "{a = ", count: 100_000) + "1" + String(repeating: "}", count: 100_000),
              "x = " + String(repeating: "[{a = ", count: 50_000),
              String(repeating: "a.", count: 100_000) + "b = 1",
              "[" + String(repeating: "a.", count: 100_000) + "b]",
          ])
    func nesting(_ text: String) {
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse("[tool.loss-doctor]\n" + text + "\n", file: "pyproject.toml", directory: "/")
        }
    }

    @Test("nesting within the limit parses")
    func nestingWithinLimit() throws {
        let depth = TOMLReader.maximumNesting
        let text = "x = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try TOMLReader.parse(text)["x"] != nil)
        #expect(throws: TOMLError.self) {
            try TOMLReader.parse("x = " + String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1))
        }
    }

    @Test("a pyproject.toml over the size limit is refused unread")
    func configurationSize() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/loss-doctor-toml-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let big = "[tool.loss-doctor]\n" + String(repeating: "# padding\n", count: Configuration.maximumBytes / 10 + 1)
        try big.write(toFile: directory + "/pyproject.toml", atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError(file: Paths.display(directory + "/pyproject.toml"), line: nil,
                                           message: "the configuration file is larger than \(Configuration.maximumBytes) bytes")) {
            try Configuration.load(file: directory + "/pyproject.toml")
        }
    }

    @Test("every numeric flag is range-checked with a clear error (exit 2)",
          arguments: [
              ("--max-file-size", "9999999999999999999999"), ("--max-file-size", "8589934592G"), ("--max-file-size", "2G"),
              ("--max-depth", "100000"), ("--max-depth", "0"), ("--max-nesting", "5000"), ("--max-elements", "4G"),
              ("--max-steps", "-1"), ("--max-losses", "1000000"), ("--timeout", "inf"), ("--timeout", "nan"),
              ("--timeout", "1e300"), ("--timeout", "0"),
          ])
    func flagRanges(_ option: String, _ value: String) {
        let result = CLI.run(["check", "--loss", "bce", "--no-simulate", option, value])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("Error: the value '\(value)' is invalid for '\(option) <"))
    }

    @Test("a call depth the stack cannot hold with the nesting limit is refused; the largest accepted ones run")
    func depthProduct() {
        let refused = CLI.run(["check", "--loss", "bce", "--no-simulate", "--max-depth", "1000"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("could overflow the stack"))
        #expect(CLI.run(["check", "--loss", "bce", "--no-simulate", "--max-depth", "1000", "--max-nesting", "100"]).exitCode == 0)
        #expect(CLI.run(["check", "--loss", "bce", "--no-simulate", "--max-file-size", "1G", "--max-elements", "1G"]).exitCode == 0)
    }

    @Test("recursion at the largest accepted depth, with expressions nested to the largest accepted nesting, ends cleanly")
    func deepestRecursion() {
        let nested = String(repeating: "(1 + ", count: 95) + "f(k - 1)" + String(repeating: ")", count: 95)
        let source = "def f(k):\n    if k == 0:\n        return 0\n    return \(nested)\n\nx = f(600)\n"
        var options = SourceOptions()
        options.limits.callDepth = 512
        options.limits.steps = 100_000_000
        let file = SourceChecker.prepare(source: source, file: "deep.py", options: options)
        let messages = file.fileErrors.map(\.message).joined()
        #expect(messages.contains("RecursionError"), "\(messages)")
    }
}
