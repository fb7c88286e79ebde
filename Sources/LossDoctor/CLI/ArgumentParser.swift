/// A small argument parser in swift-argument-parser's dialect (the package has no dependencies):
/// `--name value`, `--name=value`, flags, `-h`, `--` ending the options, positionals. A command declares
/// what it accepts in a `CommandSpec`, which also writes its help text (`HelpText.swift`).

/// An option a command accepts: a flag (`--all`) or an option with a value (`--format <format>`).
struct OptionSpec: Sendable {
    /// The long name without dashes: `format` for `--format`.
    let name: String
    /// A one-letter alias: `h` for `-h`.
    var short: Character? = nil
    /// The value's placeholder (`format` in `<format>`); nil for a flag.
    var value: String? = nil
    /// The values allowed, when it is a choice.
    var choices: [String] = []
    var defaultValue: String? = nil
    /// Whether it may be given more than once (`--loss a --loss b`).
    var repeating = false
    let help: String

    /// `--format <format>` or `-h, --help`, as help and usage show it.
    var label: String {
        (short.map { "-\($0), " } ?? "") + "--\(name)" + (value.map { " <\($0)>" } ?? "")
    }

    static func flag(_ name: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, help: help)
    }

    static func value(_ name: String, _ placeholder: String, choices: [String] = [], default defaultValue: String? = nil,
                      repeating: Bool = false, help: String) -> OptionSpec {
        OptionSpec(name: name, value: placeholder, choices: choices, defaultValue: defaultValue, repeating: repeating,
                   help: help)
    }

    static let help = OptionSpec.flag("help", short: "h", help: "Show help information.")
}

/// A positional argument a command accepts.
struct ArgumentSpec: Sendable {
    /// The placeholder: `files` in `<files>`.
    let name: String
    var repeating = false
    let help: String
}

/// Everything a command accepts, and the words its help prints.
struct CommandSpec: Sendable {
    /// The command's words: `["loss-doctor", "check"]`.
    let path: [String]
    /// One sentence: what it does.
    let overview: String
    /// Paragraphs printed after the overview, when there is more to say.
    var discussion: String? = nil
    /// The usage line after `loss-doctor`, written by hand because it says which options go together.
    let usage: String
    var arguments: [ArgumentSpec] = []
    var options: [OptionSpec] = []
    var subcommands: [(name: String, abstract: String)] = []

    /// The command as typed: `loss-doctor check`.
    var commandName: String { path.joined(separator: " ") }

    /// Its options, with `-h, --help` last, as every command accepts it.
    var allOptions: [OptionSpec] { options + [.help] }
}

/// A command line that failed to parse or name something that exists: exit status 2.
struct CLIError: Error, Equatable {
    /// What is wrong, lowercase, no trailing period.
    let message: String
    /// What the user probably meant, for "Did you mean 'X'?".
    var suggestion: String? = nil
    /// One more line of advice.
    var hint: String? = nil
    /// Whether the usage line follows: not for errors outside the command line (a broken configuration file).
    var usage = true
}

/// What a command line said, by option name.
struct ParsedArguments {
    var flags: Set<String> = []
    var values: [String: [String]] = [:]
    var positionals: [String] = []
    let spec: CommandSpec

    /// Whether a flag was given.
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// An option's value: the last one given, else its default.
    func value(_ name: String) -> String? {
        values[name]?.last ?? spec.options.first { $0.name == name }?.defaultValue
    }

    /// Every value given to a repeating option, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }
}

enum ArgumentParser {
    /// Whether the arguments ask for help (`-h` or `--help` before any `--`).
    static func asksForHelp(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains { $0 == "-h" || $0 == "--help" }
    }

    /// Parses `arguments` (the words after the command's name) against `spec`.
    static func parse(_ arguments: [String], _ spec: CommandSpec) throws(CLIError) -> ParsedArguments {
        var parsed = ParsedArguments(spec: spec)
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if optionsEnded || !token.hasPrefix("-") || token == "-" {
                parsed.positionals.append(token)
                continue
            }
            if token == "--" { optionsEnded = true; continue }

            let (name, inlineValue) = split(token)
            guard let option = find(name, in: spec) else {
                throw CLIError(message: "unknown option '\(name)'",
                               suggestion: Suggestion.closest(to: name, among: spec.allOptions.map { "--\($0.name)" }))
            }
            guard let placeholder = option.value else {
                if inlineValue != nil { throw CLIError(message: "option '--\(option.name)' takes no value") }
                parsed.flags.insert(option.name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                value = arguments[index]
                index += 1
            } else {
                throw CLIError(message: "missing value for '--\(option.name) <\(placeholder)>'")
            }
            if !option.choices.isEmpty && !option.choices.contains(value) {
                throw CLIError(message: "the value '\(value)' is invalid for '--\(option.name) <\(placeholder)>'",
                               suggestion: Suggestion.closest(to: value, among: option.choices),
                               hint: "Use one of: \(option.choices.joined(separator: ", ")).")
            }
            parsed.values[option.name, default: []].append(value)
        }

        let accepted = spec.arguments.contains(where: \.repeating) ? Int.max : spec.arguments.count
        if parsed.positionals.count > accepted {
            throw CLIError(message: "unexpected argument '\(parsed.positionals[accepted])'")
        }
        return parsed
    }

    /// `--format=json` → (`--format`, `json`); `--all` → (`--all`, nil).
    private static func split(_ token: String) -> (String, String?) {
        guard token.hasPrefix("--"), let equals = token.firstIndex(of: "=") else { return (token, nil) }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }

    private static func find(_ name: String, in spec: CommandSpec) -> OptionSpec? {
        spec.allOptions.first { option in
            name == "--\(option.name)" || option.short.map { name == "-\($0)" } == true
        }
    }
}
