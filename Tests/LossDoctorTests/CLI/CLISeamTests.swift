import Testing
@testable import LossDoctor

/// The CLI parses arguments and prints, nothing else (CONTRIBUTING.md): no other folder of the library leans on
/// it, so each can be read, tested and reused without the command line. These tests read the sources to keep it
/// so. `Sources/loss-doctor/main.swift`, which runs the CLI, is the CLI's other half.
@Suite("CLI seam")
struct CLISeamTests {
    static let cliDirectory = "LossDoctor/CLI/"

    /// The types declared at the top level of a file. A nested type (`CommandLineTool.Output`) is named outside
    /// only through its outer type, so the outer name is enough.
    static func declaredTypes(_ lines: [Substring]) -> [String] {
        lines.flatMap { line in
            line.matches(of: /^(?:(?:public|package|internal|fileprivate|private|final|indirect) )*(?:struct|enum|class|protocol|actor|typealias) (\w+)/)
                .map { String($0.output.1) }
        }
    }

    /// The names among `names` that a line mentions as whole words, comments included.
    static func mentions(_ line: Substring, of names: Set<String>) -> [String] {
        line.matches(of: /\w+/).map { String($0.output) }.filter(names.contains)
    }

    @Test("no file outside CLI/ names a type declared in CLI/")
    func nothingDependsOnTheCLI() throws {
        let files = try RuleCodeLiteralTests.swiftFiles()
        let cliTypes = Set(files.filter { $0.path.hasPrefix(Self.cliDirectory) }.flatMap { Self.declaredTypes($0.lines) })
        #expect(cliTypes.isSuperset(of: ["CommandLineTool", "Command", "CommandContext", "CheckCommand", "ExplainCommand", "CLIError"]))
        var found: [String] = []
        for (path, lines) in files where !path.hasPrefix(Self.cliDirectory) && !path.hasPrefix("loss-doctor/") {
            for (index, line) in lines.enumerated() {
                for name in Self.mentions(line, of: cliTypes) { found.append("Sources/\(path):\(index + 1): \(name)") }
            }
        }
        #expect(found.isEmpty, "move what these need out of CLI/, or let the command pass it in:\n\(found.joined(separator: "\n"))")
    }

    @Test("the scan finds top-level declarations with modifiers, and whole words only")
    func scanFindsDeclarationsAndWords() {
        #expect(Self.declaredTypes(["package enum CommandLineTool {", "    private final class Output {", "protocol Command {",
                                    "final class Work: Sendable {", "extension Report {", "// enum Commented"]) == ["CommandLineTool", "Command", "Work"])
        #expect(Self.mentions("_ = CommandLineTool.run([]) // a Command", of: ["CommandLineTool", "Command"]) == ["CommandLineTool", "Command"])
        #expect(Self.mentions("let spec: CommandSpecs = CheckCommands()", of: ["CommandSpec", "CheckCommand"]).isEmpty)
    }
}
