/// The resource limits of `check` on source files: one option per field of `InterpreterLimits`, whose
/// defaults the help shows. Passing a limit is a located LD903 error for the loss that passed it.
enum LimitOptions {
    static let defaults = InterpreterLimits()

    static let specs: [OptionSpec] = [
        .value("max-steps", "n", default: String(defaults.steps),
               help: "Evaluation steps per call of a loss from a file: statements, loop iterations, calls and tensor operations."),
        .value("max-elements", "n", default: String(defaults.tensorElements),
               help: "Tensor elements (4 bytes each) one call of a loss from a file may allocate, all tensors together; K, M and G suffixes multiply by 1024."),
        .value("max-depth", "n", default: String(defaults.callDepth),
               help: "Nested calls of user functions in a file (deeper recursion is a RecursionError)."),
        .value("max-nesting", "n", default: String(defaults.nestingDepth),
               help: "Nesting of brackets, operators and blocks the parser accepts."),
        .value("max-file-size", "bytes", default: String(defaults.fileBytes),
               help: "Largest source file read; K, M and G suffixes multiply by 1024."),
        .value("max-losses", "n", default: String(defaults.lossesPerFile),
               help: "Losses checked in one file; the file's findings say how many were left out."),
        .value("timeout", "seconds", default: formatNumber(defaults.seconds),
               help: "Wall-clock time to check one loss of a file, its probes and simulated training together."),
    ]

    /// The largest value each option accepts: beyond these a limit protects nothing (a 1 GB source file, a
    /// day per loss) or the process cannot honour it (`--max-depth 100000` overflowed the stack).
    static let maximums: [String: Int] = [
        "max-steps": 1 << 40, "max-elements": 1 << 30, "max-depth": 1000, "max-nesting": 1000,
        "max-file-size": 1 << 30, "max-losses": 100_000,
    ]
    static let maximumSeconds: Double = 86_400

    /// Calls nested `callDepth` deep, each with code nested `nestingDepth` deep, recurse about
    /// `callDepth * nestingDepth` times on the evaluation stack: the defaults (64 x 200) take about 16 MB of
    /// the 256 MB large stack, so up to 8 times their product is accepted.
    static let maximumDepthProduct = 8 * defaults.callDepth * defaults.nestingDepth

    /// The limits the command line sets (defaults for the options it does not give).
    static func limits(_ parsed: ParsedArguments) throws(CLIError) -> InterpreterLimits {
        var limits = InterpreterLimits()
        limits.steps = try count(parsed, "max-steps")
        limits.tensorElements = try count(parsed, "max-elements")
        limits.callDepth = try count(parsed, "max-depth")
        limits.nestingDepth = try count(parsed, "max-nesting")
        limits.fileBytes = try count(parsed, "max-file-size")
        limits.lossesPerFile = try count(parsed, "max-losses")
        let text = parsed.value("timeout") ?? ""
        guard let seconds = Double(text), seconds > 0, seconds <= maximumSeconds else {
            throw CLIError(message: "the value '\(text)' is invalid for '--timeout <seconds>': expected a positive number of seconds, at most \(formatNumber(maximumSeconds))")
        }
        limits.seconds = seconds
        guard limits.callDepth * limits.nestingDepth <= maximumDepthProduct else {
            throw CLIError(message: "'--max-depth \(limits.callDepth)' with '--max-nesting \(limits.nestingDepth)' could overflow the stack: their product must be at most \(maximumDepthProduct)",
                           hint: "Lower one of them; the defaults are --max-depth \(defaults.callDepth) and --max-nesting \(defaults.nestingDepth).")
        }
        return limits
    }

    /// A positive integer option, with an optional binary K, M or G suffix (`16M`).
    static func count(_ parsed: ParsedArguments, _ name: String) throws(CLIError) -> Int {
        let text = parsed.value(name) ?? ""
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text)
        var multiplier = 1
        if let last = text.last, let factor = multipliers[Character(last.uppercased())] {
            multiplier = factor
            digits = digits.dropLast()
        }
        let maximum = maximums[name] ?? Int.max
        guard let number = Int(digits), number > 0, case (let value, false) = number.multipliedReportingOverflow(by: multiplier),
              value <= maximum else {
            let placeholder = specs.first { $0.name == name }?.value ?? "n"
            throw CLIError(message: "the value '\(text)' is invalid for '--\(name) <\(placeholder)>': expected a positive integer, at most \(maximum)")
        }
        return value
    }
}
