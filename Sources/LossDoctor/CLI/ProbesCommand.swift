#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
        usage: "loss-doctor probes export <dir> [--input <domain>] [--layout <layout>] [--target <format>]",
        arguments: [ArgumentSpec(name: "action", help: "'export'."), ArgumentSpec(name: "dir", help: "The directory to write to (created if needed).")],
        options: [
            .value("input", "domain", choices: ["probs", "logits"], default: "probs", help: "The domain of the predictions."),
            .value("layout", "layout", choices: ["NHWC", "NCHW"], default: "NHWC", help: "The layout of targets and predictions."),
            .value("target", "format", choices: ["binary"], default: "binary",
                   help: "The target set: binary one-channel masks (the set checks use today)."),
        ]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        guard let action = parsed.positionals.first else { throw CLIError(message: "missing expected argument '<action>'", hint: "Use 'loss-doctor probes export DIR'.") }
        guard action == "export" else {
            throw CLIError(message: "unknown action '\(action)'", suggestion: Suggestion.closest(to: action, among: ["export"]))
        }
        guard parsed.positionals.count >= 2 else { throw CLIError(message: "missing expected argument '<dir>'") }
        let export = ProbeExport(domain: InputDomain(rawValue: parsed.value("input") ?? "probs") ?? .probabilities,
                                 layout: Layout(rawValue: parsed.value("layout") ?? "NHWC") ?? .channelsLast)
        let written = try write(export, to: parsed.positionals[1])
        context.writeOut("wrote \(written) arrays and index.json to \(parsed.positionals[1])\n")
        return 0
    }

    /// Writes the arrays (each target once) and `index.json`; returns how many arrays were written.
    static func write(_ export: ProbeExport, to directory: String) throws(CLIError) -> Int {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory), (try? manager.contentsOfDirectory(atPath: directory)) == nil {
            throw CLIError(message: "'\(directory)' exists and is not a directory", usage: false)
        }
        var written = Set<String>()
        for item in export.items {
            for (path, array) in [(item.targetFile, item.target), (item.predictionFile, item.prediction)] where !written.contains(path) {
                let full = directory + "/" + path
                let parent = String(full[..<full.lastIndex(of: "/")!])
                do {
                    try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
                } catch {
                    throw CLIError(message: "cannot create the directory '\(parent)'", usage: false)
                }
                guard array.write(to: full) else { throw CLIError(message: "cannot write '\(full)'", usage: false) }
                written.insert(path)
            }
        }
        guard manager.createFile(atPath: directory + "/index.json", contents: Data(export.index.serialized().utf8)) else {
            throw CLIError(message: "cannot write '\(directory)/index.json'", usage: false)
        }
        return written.count
    }
}
