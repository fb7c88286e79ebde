/// `loss-doctor explain CODE-or-NAME`: prints a rule's `RulePage` (the same text SARIF gives as the rule's help),
/// or with `--all --format markdown` the whole `docs/rules.md`.
enum ExplainCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "explain"],
        overview: "Explain a rule: what it detects, why it matters, how it measures, how to fix it.",
        usage: "loss-doctor explain (<rule> | --all) [--format <format>]",
        arguments: [ArgumentSpec(name: "rule", help: "A rule code (LD101) or name (floor-division).")],
        options: [
            .flag("all", help: "Explain every rule; with --format markdown, as one document (docs/rules.md)."),
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
        if markdown && parsed.flag("all") {
            context.writeOut(RulePage.document())
            return 0
        }
        context.writeOut(rules.map { RulePage.page($0.description, markdown: markdown) }.joined(separator: "\n"))
        return 0
    }
}
