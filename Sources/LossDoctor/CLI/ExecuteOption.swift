/// `check --execute [--python PATH]`: the one switch that lets LossDoctor run the user's code. Only the flag turns
/// it on (never a file, a directory or a configuration); the report header says "executed".
enum ExecuteOption {
    /// The executed reports of a file's losses, in order, or nil without `--execute`.
    static func reports(_ parsed: ParsedArguments, file: SourceFile, path: String) throws(CLIError) -> [Report]? {
        guard parsed.flag("execute") else {
            if parsed.value("python") != nil { throw CLIError(message: "'--python' needs '--execute'") }
            return nil
        }
        var options = ExecutionOptions()
        if let python = parsed.value("python") { options.python = python }
        // The interpreter's default timeout is too short for importing a framework: only a given one applies.
        if let timeout = parsed.values["timeout"]?.last.flatMap(Double.init) { options.timeout = timeout }
        guard !file.losses.isEmpty else { return nil }
        // Built per file; a report without probes keeps PlannedCheck's "report already made" meaning.
        return Execution.check(file, path: path, options: options)
    }
}
