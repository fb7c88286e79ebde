/// Help and error texts in swift-argument-parser's layout: `OVERVIEW: / USAGE: / ARGUMENTS: / OPTIONS: /
/// SUBCOMMANDS:`, labels in a 24-column gutter, text wrapped at 80 columns.
enum HelpText {
    static let width = 80
    /// Where the explanation column starts.
    static let gutter = 26

    /// The `--help` text of a command.
    static func help(_ spec: CommandSpec) -> String {
        var sections = [paragraph("OVERVIEW: " + spec.overview, indent: 0)]
        if let discussion = spec.discussion {
            sections.append(discussion.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line in line.isEmpty ? "" : paragraph(String(line), indent: 0) }.joined(separator: "\n"))
        }
        sections.append(paragraph("USAGE: " + spec.usage, indent: 0, hanging: 7))
        if !spec.arguments.isEmpty {
            sections.append((["ARGUMENTS:"] + spec.arguments.map { entry("<\($0.name)>" + ($0.repeating ? " ..." : ""), $0.help) })
                .joined(separator: "\n"))
        }
        sections.append((["OPTIONS:"] + spec.allOptions.map { entry($0.label, $0.help + annotation($0)) }).joined(separator: "\n"))
        if !spec.subcommands.isEmpty {
            sections.append((["SUBCOMMANDS:"] + spec.subcommands.map { entry($0.name, $0.abstract) }).joined(separator: "\n")
                            + "\n\n  See '\(spec.commandName) help <subcommand>' for detailed help.")
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// The text of a usage error: the message and suggestion, the usage line, where to get help.
    static func error(_ error: CLIError, _ spec: CommandSpec) -> String {
        // Messages quote the command line and files (paths, rule names, TOML values): never raw.
        var lines = ["Error: " + SafeText.escaped(error.message + (error.suggestion.map { ". Did you mean '\($0)'?" } ?? ""))]
        if let hint = error.hint { lines.append(SafeText.escaped(hint)) }
        guard error.usage else { return lines.joined(separator: "\n") + "\n" }
        lines.append("Usage: " + spec.usage)
        lines.append("  See '\(spec.commandName) --help' for more information.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `(values: text, json; default: text)`.
    private static func annotation(_ option: OptionSpec) -> String {
        var parts: [String] = []
        if !option.choices.isEmpty { parts.append("values: " + option.choices.joined(separator: ", ")) }
        if let value = option.defaultValue { parts.append("default: " + value) }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))"
    }

    /// A label and its explanation: on one line when the label fits the gutter, else on the next.
    private static func entry(_ label: String, _ text: String) -> String {
        let lead = "  " + label
        let body = wrap(text, width: width - gutter).map { String(repeating: " ", count: gutter) + $0 }
        guard lead.count < gutter - 1 else { return ([lead] + body).joined(separator: "\n") }
        let first = lead + String(repeating: " ", count: gutter - lead.count) + body[0].dropFirst(gutter)
        return ([first] + body.dropFirst()).joined(separator: "\n")
    }

    /// Text wrapped at `width`, continuation lines indented by `hanging`.
    private static func paragraph(_ text: String, indent: Int, hanging: Int = 0) -> String {
        let lines = wrap(text, width: width - indent - hanging)
        return ([lines[0]] + lines.dropFirst().map { String(repeating: " ", count: hanging) + $0 })
            .map { String(repeating: " ", count: indent) + $0 }.joined(separator: "\n")
    }
}
