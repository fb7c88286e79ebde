#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `loss-doctor compare LOSS...`: built-in losses side by side, their values and gradient norms at the
/// standard probes and their simulated runs, then in plain words which of those numbers are comparable.
/// `--plot FILE.svg` draws the runs' validation curves.
enum CompareCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "compare"],
        overview: "Compare losses: values at standard probes, gradients, and a simulated training run each.",
        discussion: """
            Values of different losses are on different scales: the table shows them next to each other so \
            that this is visible, and the simulated runs show what each loss does to a model's Dice.
            """,
        usage: "loss-doctor compare <losses> ... [--plot <file>] [--color <when>]",
        arguments: [ArgumentSpec(name: "losses", repeating: true,
                                 help: "Built-in losses to compare (see 'loss-doctor list losses'); files are not supported yet.")],
        options: [
            .value("plot", "file", help: "Also write an SVG chart of the runs' validation loss (normalised per loss) and Dice."),
            .value("color", "when", choices: ["auto", "always", "never"], default: "auto",
                   help: "Colour the table's header; auto colours a terminal unless NO_COLOR is set or TERM is dumb."),
        ]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        guard !parsed.positionals.isEmpty else {
            throw CLIError(message: "nothing to compare: give one or more built-in loss names",
                           hint: "Run 'loss-doctor list losses' to see them, e.g. 'loss-doctor compare bce soft-dice'.")
        }
        var losses: [LossFunction] = []
        for name in parsed.positionals {
            if name.hasSuffix(".py") {
                throw CLIError(message: "comparing source files is not supported yet ('\(name)')",
                               hint: "Compare built-in losses by name; run 'loss-doctor list losses' to see them.")
            }
            guard let reference = ReferenceLosses.named(name) else {
                throw CLIError(message: "unknown loss '\(name)'",
                               suggestion: Suggestion.closest(to: name, among: ReferenceLosses.all.map(\.name)),
                               hint: "Run 'loss-doctor list losses' to see the built-in losses.")
            }
            losses.append(reference.function)
        }
        let comparison = LossComparison(losses)
        let color = TextStyle.colorEnabled(parsed.value("color") ?? "auto", stdoutIsTTY: context.stdoutIsTTY,
                                           environment: context.environment)
        var text = render(comparison, style: TextStyle(enabled: color))
        if let path = parsed.value("plot") {
            let svg = CurveChart(runs: comparison.rows.map(\.run)).svg()
            do {
                try Data(svg.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw CLIError(message: "cannot write '\(path)': \(error)")
            }
            text += "\nchart of the validation curves written to \(path)\n"
        }
        context.writeOut(text)
        return 0
    }

    /// The table (rows: what is measured, columns: the losses), then the explanation.
    static func render(_ comparison: LossComparison, style: TextStyle) -> String {
        let rows = comparison.rows
        let probeNames = ["perfect", "all-background", "uniform 0.5", "soft (0.9 / 0.1)", "inverted"]
        var table: [[String]] = []
        for (i, probe) in probeNames.enumerated() {
            table.append(["value at \(probe)"] + rows.map { formatNumber($0.values[i]) })
        }
        for (i, probe) in probeNames.enumerated() {
            table.append(["gradient norm at \(probe)"] + rows.map { formatNumber($0.gradientNorms[i]) })
        }
        let target = formatNumber(Simulation.diceTarget)
        table.append(["final validation Dice"] + rows.map { $0.run.final.map { formatNumber($0.dice, significant: 3) } ?? "-" })
        table.append(["validation Dice \(target) at step"] + rows.map { $0.run.stepsToDice(Simulation.diceTarget).map(String.init) ?? "never" })
        table.append(["validation loss"] + rows.map { Sparkline.render($0.run.validationLosses, width: 16) })
        table.append(["validation Dice"] + rows.map { Sparkline.render($0.run.validationDice, width: 16, range: 0...1) })

        let header = "probes: the imbalanced mask, \(MaskKind.imbalanced.summary); simulated runs: \(Simulation.setup)"
        var lines = wrap(header, width: 120)
        lines.append("")
        lines += TextTable(header: [""] + rows.map(\.name), rows: table, rightAligned: Set(1...rows.count)).render(style: style)
        lines.append("")
        lines += explanation(comparison).flatMap { wrap($0, width: 100) + [""] }.dropLast()
        return lines.joined(separator: "\n") + "\n"
    }

    /// Plain words: which numbers compare across losses, and which do not.
    static func explanation(_ comparison: LossComparison) -> [String] {
        let rows = comparison.rows
        let allBackground = rows.map { "\($0.name) \(formatNumber($0.values[1]))" }.joined(separator: ", ")
        let dice = rows.map { "\($0.name) \($0.run.final.map { formatNumber($0.dice, significant: 3) } ?? "-")" }
            .joined(separator: ", ")
        var paragraphs = [
            "Loss values are on different scales and cannot be compared across losses: the same all-background prediction scores \(allBackground). A smaller loss value does not mean a better model.",
            "Compare models by a metric computed the same way whatever the loss, such as validation Dice or IoU: after the same simulated training, the final validation Dice is \(dice).",
            "Accuracy misleads on these masks: a model that predicts nothing already scores \(formatNumber(comparison.probeAllBackgroundAccuracy)) on the probe mask and \(formatNumber(comparison.taskAllBackgroundAccuracy)) on the simulated validation masks.",
        ]
        let stalled = rows.filter { StalledTrainingRule.isStalled($0.run) }.map(\.name)
        if !stalled.isEmpty {
            paragraphs.append("The validation loss of \(stalled.joined(separator: ", ")) never moves in the simulated run: see 'loss-doctor check --loss \(stalled[0])'.")
        }
        return paragraphs
    }
}
