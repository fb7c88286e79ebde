/// `loss-doctor check`: gathers the inputs (built-ins by name, all of them, later source files), checks
/// each, renders the reports, and turns the worst severity into the exit status.
enum CheckCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "check"],
        overview: "Probe loss functions and report what would keep them from training.",
        discussion: """
            Each loss is run on synthetic masks and predictions and differentiated, then a tiny model is trained \
            with it on a synthetic task; the rules read what the probes and the run observed. Findings go to \
            standard output, progress to standard error.

            Exit status: 0 when no finding is at or above --fail-on, 1 when one is, 2 when the check could not \
            run (usage error, unknown name). --exit-zero turns 1 into 0, never 2 into 0.
            """,
        usage: "loss-doctor check (<paths> ... | --loss <name> ... | --all) [--function <name>] [--input <domain>] [--layout <layout>] [--format <format>] [--fail-on <severity>] [--exit-zero] [--no-simulate] [--color <when>]",
        arguments: [ArgumentSpec(name: "paths", repeating: true,
                                 help: "Python files defining losses, or directories to search for *.py files.")],
        options: [
            .value("loss", "name", repeating: true,
                   help: "A built-in loss to check; repeat to check several. See 'loss-doctor list losses'."),
            .flag("all", help: "Check every built-in loss and print one summary table."),
            .value("function", "name",
                   help: "In files, check only this function or class, or this constructor call: 'DiceLoss(smooth=1.0)'."),
            .value("input", "domain", choices: ["probs", "logits"],
                   help: "What the losses of files take as prediction (default: inferred; probabilities unless the loss applies a sigmoid or a logits API)."),
            .value("layout", "layout", choices: ["NHWC", "NCHW"],
                   help: "The tensor layout of the losses of files (default: NCHW for PyTorch files, NHWC otherwise)."),
            .value("format", "format", choices: ["text", "json"], default: "text", help: "The report format."),
            .value("fail-on", "severity", choices: ["error", "warning", "info", "never"], default: "error",
                   help: "Exit with status 1 when a finding is at or above this severity."),
            .flag("exit-zero", help: "Exit with status 0 even when findings reach --fail-on (2 still means it could not run)."),
            .flag("no-simulate", help: "Skip the simulated training run and its rules (LD501-LD503); much faster."),
            .value("color", "when", choices: ["auto", "always", "never"], default: "auto",
                   help: "Colour the text report; auto colours a terminal unless NO_COLOR is set or TERM is dumb."),
        ]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        let checkAll = parsed.flag("all")
        let inputs = try inputs(parsed)
        let options = CheckOptions(simulate: !parsed.flag("no-simulate"))

        var checked: [CheckedLoss] = []
        for (index, (input, failed)) in inputs.enumerated() {
            if context.stderrIsTTY && inputs.count > 1 {
                context.writeErr("\r\u{1B}[Kchecking \(index + 1)/\(inputs.count) \(input.function.name)")
            }
            checked.append(CheckedLoss(input: input, report: failed ?? context.check(input.function, options)))
        }
        if context.stderrIsTTY && inputs.count > 1 { context.writeErr("\r\u{1B}[K") }

        switch parsed.value("format") {
        case "json":
            context.writeOut(JSONRenderer().render(checked))
        default:
            let color = TextStyle.colorEnabled(parsed.value("color") ?? "auto", stdoutIsTTY: context.stdoutIsTTY,
                                               environment: context.environment)
            let renderer = TextRenderer(style: TextStyle(enabled: color))
            context.writeOut(checkAll ? renderer.renderSummary(checked) : renderer.render(checked))
            if !parsed.positionals.isEmpty { context.writeOut("\n" + renderer.renderTotals(checked)) }
        }
        // A loss that could not be evaluated on any probe means the check could not run: 2, whatever else.
        if checked.contains(where: { !$0.report.evidence.wasProbed }) { return 2 }
        return exitStatus(checked.map(\.report), failOn: parsed.value("fail-on") ?? "error",
                          exitZero: parsed.flag("exit-zero"))
    }

    /// The losses the command line names: `--loss` built-ins, `--all`, or the losses of source files. A file
    /// that cannot be analysed comes with its report already made (its errors, no probes).
    static func inputs(_ parsed: ParsedArguments) throws(CLIError) -> [(CheckInput, Report?)] {
        let names = parsed.all("loss")
        if !parsed.positionals.isEmpty {
            guard names.isEmpty, !parsed.flag("all") else {
                throw CLIError(message: "files cannot be combined with '--loss' or '--all'")
            }
            return try sourceInputs(parsed)
        }
        if parsed.flag("all") {
            guard names.isEmpty else { throw CLIError(message: "'--all' cannot be combined with '--loss'") }
            return ReferenceLosses.all.map { (CheckInput(builtin: $0), nil) }
        }
        guard !names.isEmpty else {
            throw CLIError(message: "nothing to check: give a file, --loss <name> or --all")
        }
        var inputs: [(CheckInput, Report?)] = []
        for name in names {
            guard let reference = ReferenceLosses.named(name) else {
                throw CLIError(message: "unknown loss '\(name)'",
                               suggestion: Suggestion.closest(to: name, among: ReferenceLosses.all.map(\.name)),
                               hint: "Run 'loss-doctor list losses' to see the built-in losses.")
            }
            inputs.append((CheckInput(builtin: reference), nil))
        }
        return inputs
    }

    /// The losses of the files and directories named on the command line, in path order.
    static func sourceInputs(_ parsed: ParsedArguments) throws(CLIError) -> [(CheckInput, Report?)] {
        var options = SourceOptions(function: parsed.value("function"))
        options.input = parsed.value("input").flatMap(InputDomain.init(rawValue:))
        options.layout = parsed.value("layout").flatMap(Layout.init(rawValue:))
        var inputs: [(CheckInput, Report?)] = []
        for (path, named) in try PythonFiles.expand(parsed.positionals) {
            let file = SourceChecker.prepare(path: path, display: path, options: options)
            let origin = CheckInput.Origin.file(path: path, text: file.source)
            // A file found in a directory that simply defines no loss (a helper module) is not an error.
            if !named && file.losses.isEmpty && file.fileErrors.allSatisfy({ $0.message.hasPrefix("no loss function found") }) {
                continue
            }
            if file.losses.isEmpty {
                let placeholder = LossFunction(name: path) { _, _ in Tensor(0) }
                inputs.append((CheckInput(function: placeholder, origin: origin),
                               Report(loss: path, findings: file.fileErrors, evidence: .none(path))))
            }
            inputs += file.losses.map { (CheckInput(function: $0, origin: origin), nil) }
        }
        return inputs
    }
    /// 1 when a finding is at or above `failOn` (`never`: no severity is), unless `exitZero`; else 0.
    static func exitStatus(_ reports: [Report], failOn: String, exitZero: Bool) -> Int32 {
        guard !exitZero, let threshold = Severity(rawValue: failOn) else { return 0 }
        return reports.contains { ($0.worstSeverity.map { $0 >= threshold }) == true } ? 1 : 0
    }
}
