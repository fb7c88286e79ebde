/// `loss-doctor`: the command line, callable in-process. `main.swift` only connects it to the process's
/// streams; tests call `run(_:environment:stdoutIsTTY:)` and read the returned text and exit status.
///
/// Exit status, as ruff: 0 nothing at or above `--fail-on`, 1 something is (LD603/LD90x for what could not
/// be analysed included), 2 the run failed as a whole (usage error, unknown name, malformed configuration).
package enum CommandLineTool {
    /// The subcommands, in the order help lists them.
    static var commands: [any Command.Type] { [CheckCommand.self, CompareCommand.self, ShowCommand.self, ListCommand.self, ExplainCommand.self, BenchCommand.self, EvalCommand.self, ProbesCommand.self] }

    static let spec = CommandSpec(
        path: ["loss-doctor"],
        overview: "Tells you your loss function is broken before you train with it.",
        discussion: """
            LossDoctor runs a loss on synthetic masks and predictions, differentiates it, and reports what would \
            keep it from training: missing gradients, NaNs, wrong direction, scale traps.
            """,
        usage: "loss-doctor <subcommand>",
        options: [.flag("version", help: "Show the version.")],
        subcommands: commands.map { ($0.spec.path.last!, $0.spec.overview) }
            + [("help", "Show help for a subcommand.")]
    )

    /// Runs a command line and collects what it writes.
    /// - Parameters:
    ///   - arguments: the words after the executable's name.
    ///   - environment: the process environment (`NO_COLOR`, `TERM` decide colour).
    ///   - stdoutIsTTY: whether standard output is a terminal (colour in `--color auto`).
    ///   - check: how a loss is checked; tests pass a cached checker.
    /// - Returns: standard output, standard error and the exit status.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], stdoutIsTTY: Bool = false,
        check: @escaping @Sendable (LossFunction, CheckOptions) -> Report = CommandContext.defaultCheck
    ) -> (stdout: String, stderr: String, exitCode: Int32) {
        let output = Output()
        let context = CommandContext(environment: environment, stdoutIsTTY: stdoutIsTTY, stderrIsTTY: false,
                                     check: check, writeOut: { output.out += $0 }, writeErr: { output.err += $0 })
        let status = run(arguments, context)
        return (output.out, output.err, status)
    }

    /// Runs a command line, writing through the context as it goes.
    package static func run(_ arguments: [String], _ context: CommandContext) -> Int32 {
        guard let first = arguments.first else {
            context.writeOut(HelpText.help(spec))
            return 0
        }
        if first == "--version" {
            context.writeOut("loss-doctor \(LossCheck.version)\n")
            return 0
        }
        if first == "-h" || first == "--help" {
            context.writeOut(HelpText.help(spec))
            return 0
        }
        if first == "help" {
            return help(Array(arguments.dropFirst()), context)
        }
        guard let command = command(named: first) else {
            let error = first.hasPrefix("-")
                ? CLIError(message: "unknown option '\(first)'", suggestion: Suggestion.closest(to: first, among: ["--version", "--help"]))
                : CLIError(message: "unknown subcommand '\(first)'", suggestion: Suggestion.closest(to: first, among: spec.subcommands.map(\.name)))
            context.writeErr(HelpText.error(error, spec))
            return 2
        }
        let rest = Array(arguments.dropFirst())
        if ArgumentParser.asksForHelp(rest) {
            context.writeOut(HelpText.help(command.spec))
            return 0
        }
        do {
            return try command.run(rest, context)
        } catch {
            context.writeErr(HelpText.error(error, command.spec))
            return 2
        }
    }

    /// `loss-doctor help [subcommand]`.
    private static func help(_ arguments: [String], _ context: CommandContext) -> Int32 {
        guard let name = arguments.first else {
            context.writeOut(HelpText.help(spec))
            return 0
        }
        guard let command = command(named: name) else {
            let error = CLIError(message: "unknown subcommand '\(name)'",
                                 suggestion: Suggestion.closest(to: name, among: spec.subcommands.map(\.name)))
            context.writeErr(HelpText.error(error, spec))
            return 2
        }
        context.writeOut(HelpText.help(command.spec))
        return 0
    }

    private static func command(named name: String) -> (any Command.Type)? {
        commands.first { $0.spec.path.last == name }
    }

    /// Collects the text written by an in-process run.
    private final class Output {
        var out = ""
        var err = ""
    }
}

/// A subcommand: what it accepts, and how it runs.
protocol Command {
    static var spec: CommandSpec { get }
    /// Runs with the words after the subcommand's name; a thrown error is a usage error (exit status 2).
    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32
}

/// What a command may touch: the environment, the terminal, the output streams, the checker.
package struct CommandContext {
    var environment: [String: String]
    var stdoutIsTTY: Bool
    /// Progress lines are drawn only on a terminal.
    var stderrIsTTY: Bool
    var check: @Sendable (LossFunction, CheckOptions) -> Report
    /// Writes to standard output: findings, tables, help.
    var writeOut: (String) -> Void
    /// Writes to standard error: usage errors, progress.
    var writeErr: (String) -> Void

    package init(environment: [String: String], stdoutIsTTY: Bool, stderrIsTTY: Bool,
                 check: @escaping @Sendable (LossFunction, CheckOptions) -> Report = defaultCheck,
                 writeOut: @escaping (String) -> Void, writeErr: @escaping (String) -> Void) {
        self.environment = environment
        self.stdoutIsTTY = stdoutIsTTY
        self.stderrIsTTY = stderrIsTTY
        self.check = check
        self.writeOut = writeOut
        self.writeErr = writeErr
    }

    /// `LossCheck.check` with the options applied.
    package static let defaultCheck = CheckPipeline.checkLoss
}
