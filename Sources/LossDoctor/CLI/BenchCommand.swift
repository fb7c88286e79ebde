/// `loss-doctor bench`: hands its arguments to `Benchmark.run`, which times the engine.
enum BenchCommand: Command {
    static let spec = CommandSpec(
        path: ["loss-doctor", "bench"],
        overview: "Time a full check and the engine's soft Dice against a hand-fused loop.",
        discussion: "Timings vary from run to run; build with -c release for meaningful numbers.",
        usage: "loss-doctor bench [--quick]",
        options: [.flag("quick", help: "Run fewer repetitions.")]
    )

    static func run(_ arguments: [String], _ context: CommandContext) throws(CLIError) -> Int32 {
        _ = try ArgumentParser.parse(arguments, spec)
        context.writeOut(Benchmark.run(arguments))
        return 0
    }
}
