/// `loss-doctor probes export DIR`: the probe battery of a check as `.npy` files and an `index.json`.
enum ProbesCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "probes"],
        overview: "Export the probes a check evaluates a loss on, as .npy files with an index.json.",
        discussion: """
            'probes export DIR' writes every array pair of a check: each target mask with each prediction, every \
            step of the sweeps, and the scale probes (doubled batch, upsampled, one sample at a time). index.json \
            names them by the probe ids reports use ('balanced/uniform'), with the geometry and seed, so any value \
            of a report can be recomputed in your framework or with 'loss-doctor eval'.

            The predictions are written in the domain and layout given (default: probabilities, NHWC), as a loss \
            taking them receives them in a check.
            """,
        usage: "loss-doctor probes export <dir> [--input <domain>] [--layout <layout>] [--target <format>] [--classes <n>] [--ignore-index <label>]",
        arguments: [ArgumentSpec(name: "action", help: "'export'."), ArgumentSpec(name: "dir", help: "The directory to write to (created if needed).")],
        options: [
            .value("input", "domain", choices: InputDomain.allCases.map(\.rawValue), default: "probs", help: "The domain of the predictions."),
            .value("layout", "layout", choices: Layout.allCases.map(\.rawValue), default: "NHWC", help: "The layout of targets and predictions."),
            .value("target", "format", choices: TargetKind.allCases.map(\.rawValue), default: "binary",
                   help: "The target set: one-channel masks, one-hot masks, class indices, or class indices with a channel axis of 1 (a check's JSON report names the one it used)."),
            .value("classes", "n", help: "The number of classes of a multi-class set, background included (default: 3)."),
            .value("ignore-index", "label", help: "The label of the ignored frame of class-index targets (255, -100); none by default."),
        ]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        guard let action = parsed.positionals.first else { throw CLIError(message: "missing expected argument '<action>'", hint: "Use 'loss-doctor probes export DIR'.") }
        guard action == "export" else {
            throw CLIError(message: "unknown action '\(action)'", suggestion: Suggestion.closest(to: action, among: ["export"]))
        }
        guard parsed.positionals.count >= 2 else { throw CLIError(message: "missing expected argument '<dir>'") }
        let (target, classes, ignoreIndex) = try CheckCommand.targetFlags(parsed)
        let format = (target ?? .binary).format(classes: classes, ignoreIndex: ignoreIndex)
        let export = ProbeExport(domain: InputDomain(rawValue: parsed.value("input") ?? "probs") ?? .probabilities,
                                 layout: Layout(rawValue: parsed.value("layout") ?? "NHWC") ?? .channelsLast, format: format)
        let written: Int
        do { written = try export.write(to: parsed.positionals[1]) } catch { throw CLIError(message: error.message, usage: false) }
        context.writeOut("wrote \(written) arrays and index.json to \(parsed.positionals[1])\n")
        return 0
    }
}
