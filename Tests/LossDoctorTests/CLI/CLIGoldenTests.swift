import Testing
@testable import LossDoctor

/// Every user-visible text the CLI prints, pinned in `Tests/Fixtures/golden/`.
@Suite("CLI golden files")
struct CLIGoldenTests {
    /// A command line, the golden file of its output, and its exit status.
    struct Case: CustomTestStringConvertible, Sendable {
        let arguments: String
        let golden: String
        let exitCode: Int32
        /// Whether the pinned text is standard error (usage errors) rather than standard output.
        var stderr = false
        var testDescription: String { "loss-doctor \(arguments)" }
    }

    static let cases: [Case] = [
        Case(arguments: "check --loss dice-floor", golden: "check-dice-floor.txt", exitCode: 1),
        Case(arguments: "check --loss dice-floor --format json", golden: "check-dice-floor-json.txt", exitCode: 1),
        Case(arguments: "check --loss soft-dice", golden: "check-soft-dice.txt", exitCode: 0),
        Case(arguments: "check --all", golden: "check-all.txt", exitCode: 1),
        Case(arguments: "compare bce soft-dice dice-floor", golden: "compare-bce-soft-dice-dice-floor.txt", exitCode: 0),
        Case(arguments: "list rules", golden: "list-rules.txt", exitCode: 0),
        Case(arguments: "list losses", golden: "list-losses.txt", exitCode: 0),
        Case(arguments: "explain LD101", golden: "explain-LD101.txt", exitCode: 0),
        Case(arguments: "explain floor-division --format markdown", golden: "explain-LD101-markdown.txt", exitCode: 0),
        Case(arguments: "--help", golden: "help.txt", exitCode: 0),
        Case(arguments: "check --help", golden: "help-check.txt", exitCode: 0),
        Case(arguments: "compare --help", golden: "help-compare.txt", exitCode: 0),
        Case(arguments: "list --help", golden: "help-list.txt", exitCode: 0),
        Case(arguments: "explain --help", golden: "help-explain.txt", exitCode: 0),
        Case(arguments: "bench --help", golden: "help-bench.txt", exitCode: 0),
        Case(arguments: "check --loss dice-flor", golden: "error-unknown-loss.txt", exitCode: 2, stderr: true),
    ]

    @Test("output matches its golden file", arguments: cases)
    func golden(_ test: Case) throws {
        let result = CLI.run(test.arguments)
        #expect(result.exitCode == test.exitCode, "\(test.arguments): \(result.stderr)")
        try Golden.check(test.stderr ? result.stdout + result.stderr : result.stdout, test.golden)
        if !test.stderr { #expect(result.stderr.isEmpty) }
    }
}
