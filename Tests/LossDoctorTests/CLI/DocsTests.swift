import Foundation
import Testing
@testable import LossDoctor

/// Documents generated from the code, and the integration files, checked against what they describe.
@Suite("Docs and integrations")
struct DocsTests {
    static let repository = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/")

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: repository + "/" + path, encoding: .utf8)
    }

    @Test("docs/rules.md is what 'explain --all --format markdown' prints (regenerate it when a rule changes)")
    func rulesPage() throws {
        let generated = CLI.run("explain --all --format markdown")
        #expect(generated.exitCode == 0)
        let committed = try Self.read("docs/rules.md")
        if Golden.updating { try generated.stdout.write(toFile: Self.repository + "/docs/rules.md", atomically: true, encoding: .utf8) }
        #expect(committed == generated.stdout, """
            docs/rules.md is out of date: run `swift run loss-doctor explain --all --format markdown > docs/rules.md` \
            (or LOSSDOCTOR_UPDATE_GOLDEN=1 swift test). First difference: \(Golden.firstDifference(committed, generated.stdout))
            """)
        for rule in RuleRegistry.all.map(\.description) {
            #expect(committed.contains("## \(rule.code) \(rule.name) (\(rule.severity.rawValue))"))
        }
    }

    @Test("the README's example test is the one that runs, verbatim")
    func readmeExample() throws {
        let file = try Self.read("Tests/LossDoctorTestingTests/ReadmeExampleTests.swift")
        let example = try #require(file.components(separatedBy: "// README example begins\n").last?
            .components(separatedBy: "// README example ends").first)
        #expect(try Self.read("README.md").contains("```swift\n" + example + "```\n"))
    }

    @Test("the pre-commit hook runs loss-doctor check on Python files, built as a Swift package")
    func preCommitHook() throws {
        let hooks = try Self.read(".pre-commit-hooks.yaml").split(separator: "\n").map { $0.trimmingWhitespace() }
        #expect(hooks.contains("- id: loss-doctor"))
        #expect(hooks.contains("language: swift"))
        #expect(hooks.contains(#"files: \.py$"#))
        let entry = try #require(hooks.first { $0.hasPrefix("entry: ") }).dropFirst("entry: ".count)
        let words = entry.split(separator: " ").map(String.init)
        #expect(words.first == "loss-doctor")
        // The entry's options exist (pre-commit appends the file names).
        let parsed = try ArgumentParser.parse(Array(words.dropFirst(2)) + ["x.py"], CheckCommand.spec)
        #expect(parsed.positionals == ["x.py"])
    }

    @Test("the GitHub Actions example builds, writes SARIF and uploads it with the permission it needs")
    func workflow() throws {
        let ci = try Self.read("docs/ci.md")
        #expect(ci.contains("check src --format sarif -o results.sarif"))
        #expect(ci.contains("uses: github/codeql-action/upload-sarif@v3"))
        #expect(ci.contains("security-events: write"))
        #expect(ci.contains("swift build -c release"))
        let readme = try Self.read("README.md")
        #expect(readme.contains("docs/ci.md") && readme.contains("upload-sarif") && readme.contains("pre-commit"))
    }
}
