#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `loss-doctor eval`: one loss on the user's own arrays, value and gradient as LossDoctor's engine computes
/// them, so a finding's numbers can be checked against the user's framework.
enum EvalCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "eval"],
        overview: "Evaluate one loss on your own .npy arrays: its value, output shape and gradient.",
        discussion: """
            The arrays must be in the form the loss takes: the target and the prediction in its layout, the \
            prediction in its domain (probabilities or logits; --input and --layout say which for a file's loss, \
            a built-in has its own). .npy files of float32, float64, int64 or bool in C order are read; values \
            are computed in float32. A loss that returns more than one element is averaged, as Keras does, and \
            the gradient is that of the average with respect to the prediction.

            'loss-doctor probes export DIR' writes the probes of a check as .npy files to evaluate here.

            Exit status: 0 when the loss was evaluated (whatever its gradient), 2 when it could not be.
            """,
        usage: "loss-doctor eval (--loss <name> | <file> [--function <name>]) --target <file> --pred <file> [--input <domain>] [--layout <layout>] [--grad <file>] [--format <format>]",
        arguments: [ArgumentSpec(name: "file", help: "A Python file defining the loss (instead of --loss).")],
        options: [
            .value("loss", "name", help: "A built-in loss; see 'loss-doctor list losses'."),
            .value("function", "name", help: "In a file that defines several losses, the one to evaluate (or a constructor call: 'DiceLoss(smooth=1.0)')."),
            .value("target", "file", help: "The target as a .npy file."),
            .value("pred", "file", help: "The prediction as a .npy file."),
            .value("input", "domain", choices: InputDomain.allCases.map(\.rawValue),
                   help: "What the loss of a file takes as prediction (default: inferred, as 'check' does)."),
            .value("layout", "layout", choices: Layout.allCases.map(\.rawValue), help: "The layout of a file's loss (default: inferred, as 'check' does)."),
            .value("grad", "file", help: "Write the gradient with respect to the prediction to this .npy file (float32)."),
            .value("format", "format", choices: ["text", "json"], default: "text", help: "The output format."),
        ]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        let loss = try LossSelection.resolve(parsed)
        guard let targetPath = parsed.value("target") else { throw CLIError(message: "missing '--target <file>'") }
        guard let predictionPath = parsed.value("pred") else { throw CLIError(message: "missing '--pred <file>'") }
        let target = try LossSelection.read(targetPath, role: "target")
        let prediction = try LossSelection.read(predictionPath, role: "prediction")

        let evaluation: Evaluation
        do {
            evaluation = try loss.function.evaluate(target: target, prediction: prediction)
        } catch {
            let failure = ProbeRunner.failure(error, probe: "eval")
            let place = failure.site.map { " at \($0.file):\($0.line):\($0.column)" } ?? ""
            throw CLIError(message: "the loss raised\(place): \(failure.message)", usage: false)
        }
        var gradientFile: String? = nil
        if let path = parsed.value("grad"), let values = evaluation.backward.values {
            guard NPYArray(shape: prediction.shape, elementType: .float32, values: values.map(Double.init)).write(to: path) else {
                throw CLIError(message: "cannot write the gradient to '\(path)'", usage: false)
            }
            gradientFile = path
        }
        if parsed.value("format") == "json" {
            context.writeOut(json(evaluation, loss: loss, gradientFile: gradientFile).serialized())
        } else {
            context.writeOut(text(evaluation, loss: loss, gradientFile: gradientFile, asked: parsed.value("grad")))
        }
        return 0
    }

    static func text(_ evaluation: Evaluation, loss: LossSelection, gradientFile: String?, asked: String?) -> String {
        let gradient = evaluation.backward
        var lines = [
            "loss: \(loss.function.name) (\(loss.description); \(loss.function.domain.displayName), \(loss.function.layout.rawValue))",
            "value: \(evaluation.value)",
            "output shape: \(Tensor.describe(evaluation.outputShape))",
            "gradient: \(gradient.state.rawValue)" + (gradient.values == nil ? " (no differentiable path from the prediction to the loss)"
                : ", norm \(Float(gradient.norm)), max |g| \(evaluation.gradientMaxMagnitude)"),
        ]
        if let gradientFile { lines.append("gradient written to \(gradientFile)") }
        else if let asked { lines.append("no gradient written to \(asked): the gradient is missing") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ evaluation: Evaluation, loss: LossSelection, gradientFile: String?) -> JSONValue {
        .object([
            "loss": .string(loss.function.name),
            "origin": .string(loss.description),
            "domain": .string(loss.function.domain.displayName),
            "layout": .string(loss.function.layout.rawValue),
            "value": .number(evaluation.value),
            "output_shape": .array(evaluation.outputShape.map(JSONValue.number)),
            "gradient": .object([
                "state": .string(evaluation.gradientState.rawValue),
                "norm": .number(evaluation.backward.norm),
                "max_abs": evaluation.backward.values == nil ? .null : .number(evaluation.gradientMaxMagnitude),
                "file": .optional(gradientFile),
            ]),
        ])
    }
}

/// The loss a command names: a built-in (`--loss NAME`) or one loss of a Python file (`FILE [--function F]`),
/// with the `--input`/`--layout` flags applied as `check` applies them.
struct LossSelection {
    let function: LossFunction
    /// `built-in` or the file's path and line.
    let description: String

    static func resolve(_ parsed: ParsedArguments) throws(CLIError) -> LossSelection {
        let input = parsed.value("input").flatMap(InputDomain.init(rawValue:))
        let layout = parsed.value("layout").flatMap(Layout.init(rawValue:))
        if let name = parsed.value("loss") {
            guard parsed.positionals.isEmpty else { throw CLIError(message: "a file cannot be combined with '--loss'") }
            guard let reference = ReferenceLosses.named(name) else {
                throw CLIError(message: "unknown loss '\(name)'",
                               suggestion: ReferenceLosses.closestName(to: name),
                               hint: "Run 'loss-doctor list losses' to see the built-in losses.")
            }
            let function = reference.function
            if let input, input != function.domain {
                throw CLIError(message: "'\(name)' takes \(function.domain.displayName), not \(input.displayName)")
            }
            if let layout, layout != function.layout {
                throw CLIError(message: "'\(name)' takes \(function.layout.rawValue), not \(layout.rawValue)")
            }
            return LossSelection(function: function, description: "built-in")
        }
        guard let path = parsed.positionals.first else { throw CLIError(message: "nothing to evaluate: give a file or --loss <name>") }
        var options = SourceOptions(function: parsed.value("function"), input: input, layout: layout)
        options.limits = InterpreterLimits()
        let file = SourceChecker.prepare(path: path, display: path, options: options)
        if let error = file.fileErrors.first, file.losses.isEmpty {
            let place = error.site.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
            throw CLIError(message: "\(place)\(error.message)", usage: false)
        }
        guard file.losses.count == 1, let loss = file.losses.first else {
            throw CLIError(message: "\(path) defines \(file.losses.count) losses (\(file.losses.map(\.name).joined(separator: ", "))): choose one with --function")
        }
        let line = loss.source.map { ":\($0.origin.site.line)" } ?? ""
        return LossSelection(function: loss, description: "\(path)\(line)")
    }

    /// Reads a `.npy` argument; an unreadable file is a usage error naming its role.
    static func read(_ path: String, role: String) throws(CLIError) -> NPYArray {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError(message: "the \(role) file '\(path)' does not exist", usage: false) }
        do {
            return try NPYArray(contentsOf: path)
        } catch {
            throw CLIError(message: "cannot read the \(role) '\(path)': \(error)", usage: false)
        }
    }
}
