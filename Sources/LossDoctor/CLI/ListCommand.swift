/// `loss-doctor list [losses|rules|apis]`: the built-in losses, the rules, or the framework APIs the
/// interpreter models, as tables.
enum ListCommand: Command {
    static let kinds = ["losses", "rules", "apis"]

    static let spec = CommandSpec(
        path: ["loss-doctor", "list"],
        overview: "List the built-in losses, the rules, or the framework APIs LossDoctor models.",
        usage: "loss-doctor list [<kind>]",
        arguments: [ArgumentSpec(name: "kind", help: "What to list: losses, rules or apis. Rules and losses when omitted.")]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        switch parsed.positionals.first {
        case "losses": context.writeOut(losses())
        case "rules": context.writeOut(rules())
        case "apis": context.writeOut(apis())
        case nil: context.writeOut("Rules\n\n" + rules() + "\nBuilt-in losses\n\n" + losses())
        case let kind?:
            throw CLIError(message: "cannot list '\(kind)'", suggestion: Suggestion.closest(to: kind, among: kinds),
                           hint: "Use one of: \(kinds.joined(separator: ", ")).")
        }
        return 0
    }

    /// One row per built-in loss: name, domain, healthy or broken, the codes it must produce, what it is.
    static func losses() -> String {
        let rows = ReferenceLosses.all.map { reference in
            [reference.name, reference.domain.displayName, reference.isHealthy ? "healthy" : "broken",
             reference.expected.isEmpty ? "-" : reference.expected.sorted().joined(separator: " "), reference.summary]
        }
        return TextTable(header: ["name", "domain", "kind", "expected", "summary"], rows: rows).render()
            .joined(separator: "\n") + "\n"
    }

    /// One row per rule: code, name, severity, what it does.
    static func rules() -> String {
        let rows = RuleRegistry.all.map(\.description).map { rule in
            [rule.code, rule.name, rule.severity.rawValue, rule.summary]
        }
        return TextTable(header: ["code", "name", "severity", "summary"], rows: rows).render()
            .joined(separator: "\n") + "\n"
    }

    /// One row per module: the functions the interpreter evaluates, then the tensor methods.
    static func apis() -> String {
        var modules: [String: [String]] = [:]
        for path in BuiltinRegistry.functions.keys {
            let dot = path.lastIndex(of: ".")
            let module = dot.map { String(path[..<$0]) } ?? "builtins"
            modules[module, default: []].append(dot.map { String(path[path.index(after: $0)...]) } ?? path)
        }
        var rows = modules.keys.sorted().map { [$0, modules[$0]!.sorted().joined(separator: " ")] }
        if let methods = BuiltinRegistry.methods["Tensor"], !methods.isEmpty {
            rows.append(["tensor methods", methods.keys.sorted().map { "." + $0 }.joined(separator: " ")])
        }
        var shorts: [String: String] = [:]
        // Each one-word short name with its shortest import path: `K = keras.backend`.
        for (path, short) in BuiltinRegistry.prefixes where !short.contains(".") && shorts[short].map({ path.count < $0.count }) ?? true {
            shorts[short] = path
        }
        let legend = shorts.keys.sorted().map { "\($0) = \(shorts[$0]!)" }.joined(separator: ", ")
        return wrap("Imports are resolved to short names: \(legend).", width: 120).joined(separator: "\n") + "\n\n"
            + TextTable(header: ["module", "functions"], rows: rows).render().joined(separator: "\n") + "\n"
    }
}
