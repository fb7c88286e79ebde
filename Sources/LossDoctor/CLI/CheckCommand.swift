#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `loss-doctor check`: maps the flags to what to check and the settings of each loss, runs the check pipeline
/// (`CheckPipeline`), renders the checked losses, and turns the worst severity into the exit status.
enum CheckCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "check"],
        overview: "Probe loss functions and report what would keep them from training.",
        discussion: """
            Each loss is run on synthetic masks and predictions and differentiated, then a tiny model is trained \
            with it on a synthetic task; the rules read what the probes and the run observed. Findings go to \
            standard output, progress to standard error.

            Files are configured by the [tool.loss-doctor] table of the nearest pyproject.toml above them \
            (select, ignore, fail-on, per-file-ignores, layout, input, simulate); flags override it. A comment \
            '# loss-doctor: ignore[LD101]' or '# noqa: LD101' silences a rule on its line, or in a whole \
            loss on its def line; unused ones are reported (LD606).

            Code in files is evaluated by LossDoctor's own interpreter, which never reads files, starts processes \
            or opens connections for it, within the --max-* and --timeout limits: a loss that passes one gets a \
            located LD903 error, and the rest of the file is still checked.

            Exit status, as ruff: 0 when no finding is at or above --fail-on, 1 when one is (a file that cannot \
            be analysed or read is an error finding, LD603 or LD90x, like any other), 2 when the run failed as a \
            whole (bad flags, unknown name, invalid configuration, a path that does not exist). --exit-zero and \
            --fail-on never give 0 instead of 1, never instead of 2.
            """,
        usage: "loss-doctor check (<paths> ... | --loss <name> ... | --all) [--function <name>] [--input <domain>] [--layout <layout>] [--target <target>] [--classes <n>] [--ignore-index <label>] [--volume] [--format <format>] [-o <file>] [--select <rules>] [--ignore <rules>] [--fail-on <severity>] [--exit-zero] [--config <file>] [--skip-files-without-loss] [--no-simulate] [--color <when>] [--max-steps <n>] [--max-elements <n>] [--max-depth <n>] [--max-nesting <n>] [--max-file-size <bytes>] [--max-losses <n>] [--timeout <seconds>]",
        arguments: [ArgumentSpec(name: "paths", repeating: true,
                                 help: "Python files defining losses, or directories to search for *.py files.")],
        options: [
            .value("loss", "name", repeating: true,
                   help: "A built-in loss to check, or a library loss's constructor call ('monai.DiceLoss(sigmoid=True)', 'smp.FocalLoss(mode=\"binary\")'); repeat to check several. See 'loss-doctor list losses'."),
            .flag("all", help: "Check every built-in loss and print one summary table."),
            .value("function", "name",
                   help: "In files, check only this function or class, or this constructor call: 'DiceLoss(smooth=1.0)'."),
            .value("input", "domain", choices: InputDomain.allCases.map(\.rawValue),
                   help: "What the losses of files take as prediction (default: inferred; probabilities unless the loss applies a sigmoid or a logits API, log-probabilities for an `nll_loss` input or an `lprobs` parameter)."),
            .value("layout", "layout", choices: Layout.allCases.map(\.rawValue),
                   help: "The tensor layout of the losses of files (default: NCHW for PyTorch files, NHWC otherwise)."),
            .value("target", "target", choices: TargetKind.allCases.map(\.rawValue),
                   help: "How the losses of files take their target: one-channel masks, one-hot masks, class indices, or class indices with a channel axis of 1 (default: inferred by calling the loss)."),
            .value("classes", "n",
                   help: "The number of classes of multi-class probes, background included (default: inferred, 3 when nothing fixes it)."),
            .value("ignore-index", "label",
                   help: "The label your class-index targets give ignored pixels (255, -100): their probes always carry a frame of it, so a loss that raises on it is reported (default: the ignore_index the file names, when the loss accepts it)."),
            .flag("volume", help: "The losses of files take 3-D volumes: (N, C, D, H, W) or (N, D, H, W, C) (default: inferred from a reduction over an axis a 2-D batch lacks)."),
            .value("format", "format", choices: ["text", "json", "sarif", "github"], default: "text",
                   help: "The report format: sarif is SARIF 2.1.0 for GitHub code scanning, github writes workflow-command annotations."),
            OptionSpec(name: "output", short: "o", value: "file", help: "Write the report to this file instead of standard output."),
            .value("select", "rules", repeating: true,
                   help: "Report only these rules: codes, names or code prefixes (LD1), comma-separated or repeated."),
            .value("ignore", "rules", repeating: true,
                   help: "Do not report these rules: codes, names or code prefixes, comma-separated or repeated."),
            .value("fail-on", "severity", choices: ["error", "warning", "info", "never"], default: "error",
                   help: "Exit with status 1 when a finding is at or above this severity."),
            .flag("exit-zero", help: "Exit with status 0 even when findings reach --fail-on (2 still means it could not run)."),
            .value("config", "file", help: "Read [tool.loss-doctor] from this TOML file instead of the nearest pyproject.toml."),
            .flag("skip-files-without-loss",
                  help: "Skip named files that define no loss instead of failing on them (pre-commit passes every changed file)."),
            .flag("no-simulate", help: "Skip the simulated training run and its rules (LD501-LD505); much faster."),
            .flag("execute", help: "RUNS YOUR CODE: import each file in Python and evaluate its losses in their own framework (PyTorch autograd, TensorFlow/Keras GradientTape, NumPy values) on the exported probes, instead of LossDoctor's interpreter. Never implied."),
            .value("python", "path", help: "The Python that --execute starts (default: python3 on PATH)."),
            .value("color", "when", choices: ["auto", "always", "never"], default: "auto",
                   help: "Colour the text report; auto colours a terminal unless NO_COLOR is set or TERM is dumb."),
        ] + LimitOptions.specs
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        _ = try LimitOptions.limits(parsed)  // an invalid limit is a usage error, whatever is checked
        let checkAll = parsed.flag("all")
        let settings = try CheckSettings.Resolver(parsed)
        let inputs = try inputs(parsed, settings)
        let output = try parsed.value("output").map { (target) throws(CLIError) -> String in
            try ReportFile.destination(target, inputs: inputs.compactMap(\.path) + parsed.positionals + parsed.all("config"))
        }

        // Files on every core (LOSS_DOCTOR_THREADS=1 for one); built-ins one after the other.
        let threads = context.environment["LOSS_DOCTOR_THREADS"].flatMap { Int($0) } ?? ParallelChecks.defaultThreads
        // Progress only on a terminal, and only on standard error: machine formats stay clean.
        let progress = context.stderrIsTTY && inputs.count > 1
        if context.stderrIsTTY && CheckPipeline.runsInParallel(inputs, threads: threads) {
            context.writeErr("\r\u{1B}[Kchecking \(inputs.count) losses on \(threads) threads")
        }
        let reports = CheckPipeline.run(inputs, threads: threads, check: context.check) { index in
            if progress {
                context.writeErr("\r\u{1B}[Kchecking \(index + 1)/\(inputs.count) \(SafeText.escaped(inputs[index].input.function.name))")
            }
        }
        if progress { context.writeErr("\r\u{1B}[K") }
        let finished = CheckPipeline.finish(reports, inputs)
        // Reports show capped findings; the exit status reads them all (an error past the cap still fails).
        let checked = zip(finished, FindingCap.apply(finished.map(\.report))).map { CheckedLoss(input: $0.input, report: $1) }

        let root = Paths.repositoryRoot() ?? Paths.currentDirectory
        var text: String
        switch parsed.value("format") {
        case "json":
            text = JSONRenderer().render(checked)
        case "sarif":
            text = SARIFRenderer(root: root).render(checked)
        case "github":
            text = GitHubRenderer(root: root).render(checked)
        default:
            let color = TextStyle.colorEnabled(parsed.value("color") ?? "auto", stdoutIsTTY: output == nil && context.stdoutIsTTY,
                                               environment: context.environment)
            let renderer = TextRenderer(style: TextStyle(enabled: color))
            text = checkAll ? renderer.renderSummary(checked) : renderer.render(checked)
            if !parsed.positionals.isEmpty { text += "\n" + renderer.renderTotals(checked) }
            text = SafeText.withoutCommands(text)
        }
        if let output {
            try ReportFile.write(text, to: output)
        } else {
            context.writeOut(text)
        }
        // A file or loss that could not be analysed has its error findings (LD603, LD90x): they count toward
        // --fail-on like any other, as ruff's do. Exit 2 is only for a run that failed as a whole (thrown above).
        return exitStatus(zip(finished, inputs).map { ($0.report, $1.settings.failOn) }, exitZero: parsed.flag("exit-zero"))
    }

    /// The losses the command line names: `--loss` built-ins, `--all`, or the losses of source files. A file
    /// that cannot be analysed comes with its report already made (its errors, no probes).
    static func inputs(_ parsed: ParsedArguments, _ settings: CheckSettings.Resolver) throws(CLIError) -> [PlannedCheck] {
        let names = parsed.all("loss")
        if !parsed.positionals.isEmpty {
            guard names.isEmpty, !parsed.flag("all") else {
                throw CLIError(message: "files cannot be combined with '--loss' or '--all'")
            }
            return try sourceInputs(parsed, settings)
        }
        let builtin = settings.builtins()
        if parsed.flag("all") {
            guard names.isEmpty else { throw CLIError(message: "'--all' cannot be combined with '--loss'") }
            return ReferenceLosses.all.map { CheckPipeline.plan(builtin: $0, settings: builtin) }
        }
        guard !names.isEmpty else {
            throw CLIError(message: "nothing to check: give a file, --loss <name> or --all")
        }
        var inputs: [PlannedCheck] = []
        for name in names {
            if let reference = ReferenceLosses.named(name) {
                inputs.append(CheckPipeline.plan(builtin: reference, settings: builtin))
            } else if LibraryLosses.isLossExpression(name) {
                inputs += try libraryInputs(name, parsed, settings: builtin)
            } else {
                throw CLIError(message: "unknown loss '\(name)'",
                               suggestion: ReferenceLosses.closestName(to: name),
                               hint: "Run 'loss-doctor list losses' to see the built-in losses.")
            }
        }
        return inputs
    }

    /// `--loss 'monai.DiceLoss(sigmoid=True)'`: the library loss so configured, checked as the one loss of a
    /// module that applies it to (prediction, target), with the flags that shape the probes of files.
    static func libraryInputs(_ expression: String, _ parsed: ParsedArguments, settings: CheckSettings) throws(CLIError) -> [PlannedCheck] {
        guard let library = LibraryLosses.source(forLossExpression: expression) else {
            let callee = String(expression.prefix { $0 != "(" })
            throw CLIError(message: "unknown library loss '\(callee)'",
                           suggestion: Suggestion.closest(to: callee, among: LibraryLosses.expressionNames),
                           hint: "Give a modelled library loss as a constructor call, such as 'monai.DiceLoss(sigmoid=True)' or 'smp.DiceLoss(mode=\"binary\")'; built-in losses are listed by 'loss-doctor list losses'.")
        }
        return CheckPipeline.plan(libraryLoss: expression, source: library.source, function: library.functionName,
                                  given: try sourceOptions(parsed), settings: settings)
    }

    /// The options that shape how the losses of files (and library expressions) are probed, from the flags.
    static func sourceOptions(_ parsed: ParsedArguments) throws(CLIError) -> SourceOptions {
        var options = SourceOptions(function: parsed.value("function"))
        options.limits = try LimitOptions.limits(parsed)
        (options.target, options.classes, options.ignoreIndex) = try targetFlags(parsed)
        if parsed.flag("volume") { options.volume = true }
        return options
    }

    /// `--target`, `--classes` and `--ignore-index`, validated together (`check` and `probes export` share them).
    static func targetFlags(_ parsed: ParsedArguments) throws(CLIError) -> (target: TargetKind?, classes: Int?, ignoreIndex: Int?) {
        let target = parsed.value("target").flatMap(TargetKind.init(rawValue:))
        var classes: Int?
        if let text = parsed.value("classes") {
            guard let count = Int(text), (2...256).contains(count) else {
                throw CLIError(message: "invalid value '\(text)' for '--classes': give a whole number from 2 to 256")
            }
            classes = count
        }
        guard let text = parsed.value("ignore-index") else { return (target, classes, nil) }
        let range = Configuration.ignoreIndexRange
        guard let label = Int(text), range.contains(label) else {
            throw CLIError(message: "invalid value '\(text)' for '--ignore-index': give a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        if let target, target != .index {
            throw CLIError(message: "'--ignore-index' is a label of class-index targets: it cannot be combined with '--target \(target.rawValue)'")
        }
        if let classes, (0..<classes).contains(label) {
            throw CLIError(message: "'--ignore-index \(label)' is one of the \(classes) class labels (0 to \(classes - 1)): it cannot also mean ignored")
        }
        return (target, classes, label)
    }

    /// The losses of the files and directories named on the command line, in path order, each with the
    /// settings of its file (flags over its configuration).
    static func sourceInputs(_ parsed: ParsedArguments, _ resolver: CheckSettings.Resolver) throws(CLIError) -> [PlannedCheck] {
        var given = try sourceOptions(parsed)
        given.boundary = .commandLine(parsed.positionals)
        let entries: [PythonFiles.Entry]
        do { entries = try PythonFiles.expand(parsed.positionals) } catch { throw CLIError(message: "no such file or directory: '\(error.path)'") }
        var inputs: [PlannedCheck] = []
        for entry in entries {
            inputs += try CheckPipeline.plan(entry, given: given, settings: try resolver.file(entry.path),
                                             skipFilesWithoutLoss: parsed.flag("skip-files-without-loss")) { () throws(CLIError) in
                try ExecuteOption.options(parsed)
            }
        }
        return inputs
    }

    /// 1 when a finding is at or above `failOn` (`never`: no severity is), unless `exitZero`; else 0.
    static func exitStatus(_ reports: [Report], failOn: String, exitZero: Bool) -> Int32 {
        exitStatus(reports.map { ($0, failOn) }, exitZero: exitZero)
    }

    /// 1 when some report has a finding at or above its own threshold (each file may configure its own
    /// `fail-on`), unless `exitZero`; else 0.
    static func exitStatus(_ reports: [(Report, String)], exitZero: Bool) -> Int32 {
        guard !exitZero else { return 0 }
        return reports.contains { report, failOn in
            guard let threshold = Severity(rawValue: failOn), let worst = report.worstSeverity else { return false }
            return worst >= threshold
        } ? 1 : 0
    }
}
