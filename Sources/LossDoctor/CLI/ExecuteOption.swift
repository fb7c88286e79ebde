/// `check --execute [--python PATH]`: the one switch that lets LossDoctor run the user's code. Only the flag turns
/// it on (never a file, a directory or a configuration); the report header says "executed".
enum ExecuteOption {
    /// The options of `--execute`, or nil without it.
    static func options(_ parsed: ParsedArguments) throws(CLIError) -> ExecutionOptions? {
        guard parsed.flag("execute") else {
            if parsed.value("python") != nil { throw CLIError(message: "'--python' needs '--execute'") }
            return nil
        }
        var options = ExecutionOptions()
        if let python = parsed.value("python") { options.python = python }
        // The interpreter's default timeout is too short for importing a framework: only a given one applies.
        if let timeout = parsed.values["timeout"]?.last.flatMap(Double.init) { options.timeout = timeout }
        return options
    }
}
