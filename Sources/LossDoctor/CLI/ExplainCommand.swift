/// `loss-doctor explain CODE-or-NAME`: a rule's page under fixed headings, ruff style, from its
/// `RuleDescription` (the same text `list` and SARIF read).
enum ExplainCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "explain"],
        overview: "Explain a rule: what it detects, why it matters, how it measures, how to fix it.",
        usage: "loss-doctor explain (<rule> | --all) [--format <format>]",
        arguments: [ArgumentSpec(name: "rule", help: "A rule code (LD101) or name (floor-division).")],
        options: [
            .flag("all", help: "Explain every rule."),
            .value("format", "format", choices: ["text", "markdown"], default: "text",
                   help: "text wraps paragraphs at 100 columns; markdown leaves them to the renderer."),
        ]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        let markdown = parsed.value("format") == "markdown"
        let rules: [any Rule]
        switch (parsed.positionals.first, parsed.flag("all")) {
        case (nil, true):
            rules = RuleRegistry.all
        case (let key?, false):
            guard let rule = RuleRegistry.rule(key) else {
                let known = RuleRegistry.all.flatMap { [$0.description.code, $0.description.name] }
                throw CLIError(message: "unknown rule '\(key)'", suggestion: Suggestion.closest(to: key, among: known),
                               hint: "Run 'loss-doctor list rules' to see the rules.")
            }
            rules = [rule]
        case (_?, true):
            throw CLIError(message: "give a rule or '--all', not both")
        case (nil, false):
            throw CLIError(message: "missing expected argument '<rule>'")
        }
        context.writeOut(rules.map { page($0.description, markdown: markdown) }.joined(separator: "\n"))
        return 0
    }

    /// The page: `# LD101 floor-division (error)`, then the fixed headings.
    static func page(_ rule: RuleDescription, markdown: Bool) -> String {
        let triggering = ReferenceLosses.all.filter { $0.expected.contains(rule.code) }
        let losses = triggering.isEmpty
            ? "None of the built-in losses."
            : triggering.map { markdown ? "- `\($0.name)`: \($0.summary)" : "- \($0.name): \($0.summary)" }
                .joined(separator: "\n")
        let sections: [(String, String)] = [
            ("What it does", prose(rule.summary, markdown)),
            ("Why is this bad?", prose(rule.rationale, markdown)),
            ("How it is detected", prose(rule.detection, markdown)),
            ("Example", "```python\n\(rule.example)\n```"),
            ("Use instead", "```python\n\(rule.useInstead)\n```"),
            ("Fix", prose(rule.fix, markdown)),
            ("Built-in losses that trigger it", losses),
        ]
        // Markdown wants a blank line after a heading; the terminal reads better without one.
        let gap = markdown ? "\n\n" : "\n"
        return "# \(rule.code) \(rule.name) (\(rule.severity.rawValue))\n\n"
            + sections.map { "## \($0.0)" + gap + $0.1 + "\n" }.joined(separator: "\n")
    }

    /// Prose wrapped at 100 columns for the terminal, left whole for markdown.
    private static func prose(_ text: String, _ markdown: Bool) -> String {
        markdown ? text : text.split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { wrap(String($0), width: 100) }.joined(separator: "\n")
    }
}
