import Testing
@testable import LossDoctor

/// The CLI parses arguments and prints, nothing else (CONTRIBUTING.md): no other folder of the library leans on
/// it, so each can be read, tested and reused without the command line. These tests read the sources to keep it
/// so. `Sources/loss-doctor/main.swift`, which runs the CLI, is the CLI's other half.
@Suite("CLI seam")
struct CLISeamTests {
    static let cliDirectory = "LossDoctor/CLI/"

    /// The types declared at the top level of a file, and those declared in a top-level extension of another
    /// folder's type, by their qualified name (`CheckSettings.Resolver`). A type nested in a type of the file
    /// (`CommandLineTool.Output`) is named outside only through its outer type, so the outer name is enough.
    static func declaredTypes(_ lines: [Substring]) -> [String] {
        var extended: String?  // the type a top-level extension extends, up to its closing brace
        return lines.flatMap { line -> [String] in
            if let opened = line.firstMatch(of: /^(?:(?:public|package|internal|fileprivate|private) )?extension (\w+)/) {
                extended = String(opened.output.1)
            } else if line.hasPrefix("}") {
                extended = nil
            }
            let declared = /^(    )?(?:(?:public|package|internal|fileprivate|private|final|indirect) )*(?:struct|enum|class|protocol|actor|typealias) (\w+)/
            guard let match = line.firstMatch(of: declared) else { return [] }
            if match.output.1 == nil { return [String(match.output.2)] }
            return extended.map { ["\($0).\(match.output.2)"] } ?? []
        }
    }

    /// The names among `names` that a line mentions as whole words or dotted paths (`CheckSettings.Resolver`
    /// mentions `CheckSettings` and `CheckSettings.Resolver`), comments included.
    static func mentions(_ line: Substring, of names: Set<String>) -> [String] {
        line.matches(of: /\w+(?:\.\w+)*/).flatMap { match in
            let parts = match.output.split(separator: ".")
            return parts.indices.map { parts[...$0].joined(separator: ".") }.filter(names.contains)
        }
    }

    @Test("no file outside CLI/ names a type declared in CLI/")
    func nothingDependsOnTheCLI() throws {
        let files = try RuleCodeLiteralTests.swiftFiles()
        let cliTypes = Set(files.filter { $0.path.hasPrefix(Self.cliDirectory) }.flatMap { Self.declaredTypes($0.lines) })
        #expect(cliTypes.isSuperset(of: ["CommandLineTool", "Command", "CommandContext", "CheckCommand", "ExplainCommand", "CLIError",
                                          "CheckSettings.Resolver"]))
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
        #expect(Self.declaredTypes(["extension CheckSettings {", "    final class Resolver {", "        struct Deeper {", "}",
                                    "    struct AfterIt {"]) == ["CheckSettings.Resolver"])
        #expect(Self.mentions("let r = try CheckSettings.Resolver(parsed)", of: ["CheckSettings.Resolver", "Resolver"])
                == ["CheckSettings.Resolver"])
    }

    @Test("one check pipeline in Checking/, called by the library's check and by the CLI's")
    func onePipeline() throws {
        let files = try RuleCodeLiteralTests.swiftFiles()
        let checking = Set(files.filter { $0.path.hasPrefix("LossDoctor/Checking/") }.flatMap { Self.declaredTypes($0.lines) })
        #expect(checking.isSuperset(of: ["CheckPipeline", "PlannedCheck", "CheckSettings", "PythonFiles", "ParallelChecks", "SourceChecker"]))
        for caller in ["LossDoctor/Analysis.swift", "LossDoctor/CLI/CheckCommand.swift"] {
            let lines = try #require(files.first { $0.path == caller }?.lines, "\(caller) is gone")
            #expect(lines.contains { $0.contains("CheckPipeline.") }, "\(caller) does not call the pipeline")
        }
    }
}
