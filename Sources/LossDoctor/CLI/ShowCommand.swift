/// `loss-doctor show NAME [--framework keras|torch]`: a healthy reference as source to paste as the fix.
enum ShowCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "show"],
        overview: "Print a healthy reference loss as an idiomatic Keras or PyTorch function.",
        discussion: "The printed source is checked by LossDoctor's own tests: interpreted, it gives the built-in's values.",
        usage: "loss-doctor show <name> [--framework <framework>]",
        arguments: [ArgumentSpec(name: "name", help: "A healthy built-in loss; see 'loss-doctor list losses'.")],
        options: [.value("framework", "framework", choices: ReferenceSource.Framework.allCases.map(\.rawValue), default: "keras",
                         help: "The framework to write it for.")]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        guard let name = parsed.positionals.first else { throw CLIError(message: "missing expected argument '<name>'") }
        guard parsed.positionals.count == 1 else { throw CLIError(message: "unexpected argument '\(parsed.positionals[1])'") }
        let framework = ReferenceSource.Framework(rawValue: parsed.value("framework") ?? "keras") ?? .keras
        guard let source = ReferenceSource.source(name, framework) else {
            let known = ReferenceSource.names
            throw CLIError(message: ReferenceLosses.named(name) == nil ? "unknown loss '\(name)'" : "'\(name)' has no source form",
                           suggestion: Suggestion.closest(to: name, among: known),
                           hint: "Losses with a source form: \(known.joined(separator: ", ")).")
        }
        context.writeOut(source)
        return 0
    }
}
