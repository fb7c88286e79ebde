/// `loss-doctor bench`: reads its flags and hands them to `Benchmark.run`, which times the engine, with the
/// command line's own `check --all` and thread count for the rows that measure them.
enum BenchCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "bench"],
        overview: "Time a full check and the engine's soft Dice against a hand-fused loop.",
        discussion: "Timings vary from run to run; build with -c release for meaningful numbers.",
        usage: "loss-doctor bench [--quick] [--pytorch <ms>]",
        options: [
            .flag("quick", help: "Run fewer repetitions."),
            .value("pytorch", "ms", help: "PyTorch's time for the same soft Dice (python3 Scripts/bench-pytorch.py), in milliseconds: adds the ratio."),
        ]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, spec)
        var pytorchMilliseconds: Double?
        if let text = parsed.value("pytorch") {
            guard let value = Double(text), value.isFinite, value > 0 else {
                throw CLIError(message: "the value '\(text)' is invalid for '--pytorch <ms>'", hint: "Give PyTorch's time in milliseconds, a number above 0.")
            }
            pytorchMilliseconds = value
        }
        let table = Benchmark.run(quick: parsed.flag("quick"), pytorchMilliseconds: pytorchMilliseconds, threads: ParallelChecks.defaultThreads) {
            _ = CommandLineTool.run(["check", "--all", "--format", "json"])
        }
        context.writeOut(table)
        return 0
    }
}
