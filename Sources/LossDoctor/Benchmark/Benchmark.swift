#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `loss-doctor bench`: times a full check and the engine's soft Dice forward+backward, next to a
/// hand-fused Swift loop computing the same value and gradient, so the engine's overhead is one number.
/// `Scripts/bench-pytorch.py` times the same soft Dice in PyTorch for a side-by-side comparison.
enum Benchmark {
    /// Runs the benchmark and returns a plain-text table.
    ///
    /// - Parameters:
    ///   - quick: run fewer repetitions.
    ///   - pytorchMilliseconds: PyTorch's time for the same soft Dice (`Scripts/bench-pytorch.py`): adds the engine's ratio to it.
    ///   - threads: the threads a check of many files uses by default, for the row that runs them on every core.
    ///   - checkAll: `check --all` as the command line runs it, whose peak resident memory is measured.
    static func run(quick: Bool = false, pytorchMilliseconds pytorch: Double? = nil, threads: Int, checkAll: () -> Void) -> String {
        let scale = quick ? 1 : 4
        // First, while the process is fresh: what the timings below keep resident would count otherwise.
        let memory = PeakMemory.measure(checkAll)
        var rows: [Row] = []
        let (processRows, processLines) = processRows(scale, threads: threads)
        rows += processRows
        for name in ["dice-floor", "soft-dice"] {
            guard let reference = ReferenceLosses.named(name) else { continue }
            rows.append(time("check \(name)", runs: 5 * scale) { _ = LossCheck.check(reference.function) })
        }
        var perLoss: [String: [Duration]] = [:]
        rows.append(time("check all \(ReferenceLosses.all.count) built-ins", runs: scale) {
            for reference in ReferenceLosses.all {
                perLoss[reference.name, default: []].append(ContinuousClock().measure { _ = LossCheck.check(reference.function) })
            }
        })
        let sortedTimes = perLoss.mapValues { $0.sorted() }
        if let slowest = sortedTimes.max(by: { $0.value[$0.value.count / 2] < $1.value[$1.value.count / 2] }) {
            let samples = slowest.value
            rows.append(Row(name: "  slowest of them: \(slowest.key)", runs: samples.count, median: samples[samples.count / 2], min: samples[0]))
        }

        rows += simulationRows(scale)

        let small = SoftDiceCase(shape: [4, 64, 64, 1])
        let large = SoftDiceCase(shape: [1, 1024, 1024, 1])
        rows.append(time("soft Dice fwd+bwd 16K \(small.label)", runs: 100 * scale) { small.engine() })
        let engine = time("soft Dice fwd+bwd 1M \(large.label)", runs: 25 * scale) { large.engine() }
        rows.append(engine)
        rows.append(time("  same, with gradient diagnostics", runs: 25 * scale) { large.engineDiagnosed() })
        let fused = time("fused Swift loop fwd+bwd 1M", runs: 25 * scale) { large.fused() }
        rows.append(fused)

        var convolutionRatio: String?
        if let convolution = ConvolutionBenchmark() {
            let conv = time("conv2d 3x3 fwd+bwd (4x1x64x64)", runs: 50 * scale) { convolution.run(convolution.convolution) }
            let product = time("  elementwise v * v fwd+bwd, same tensor", runs: 50 * scale) { convolution.run(convolution.elementwise) }
            rows += [conv, product]
            convolutionRatio = "conv2d 3x3 / elementwise product (median): \(ratio(conv.median, product.median))x (min: \(ratio(conv.min, product.min))x)"
        }

        let agreement = large.agreement()
        var lines = ["loss-doctor bench (\(buildKind); in-process rows single-threaded; milliseconds, median and min of the runs)"]
        let width = rows.map(\.name.count).max() ?? 0
        lines.append(pad("case", width) + "   runs     median        min")
        for row in rows {
            lines.append(pad(row.name, width) + " " + leftPad(String(row.runs), 6)
                         + " " + leftPad(milliseconds(row.median), 10) + " " + leftPad(milliseconds(row.min), 10))
        }
        lines += processLines
        lines.append("engine / fused loop at 1M (median): \(ratio(engine.median, fused.median))x"
                     + " (min: \(ratio(engine.min, fused.min))x)")
        if let pytorch, pytorch > 0 {
            lines.append("engine / PyTorch (\(formatNumber(pytorch)) ms) at 1M: median \(formatNumber(seconds(engine.median) * 1e3 / pytorch, significant: 3))x, "
                         + "min \(formatNumber(seconds(engine.min) * 1e3 / pytorch, significant: 3))x")
        }
        if let convolutionRatio { lines.append(convolutionRatio) }
        lines.append("engine vs fused loop: loss differs by \(formatNumber(agreement.lossDifference)), gradient by at most \(formatNumber(agreement.gradientDifference))")
        lines.append(memory.map { "peak resident memory of check --all (\(ReferenceLosses.all.count) built-ins, simulated): \(formatNumber(Double($0.bytes) / 1_048_576, significant: 3)) MB (\($0.source); budget \(PeakMemory.budgetMegabytes) MB)" }
                     ?? "peak resident memory: not measurable on this system")
        if pytorch == nil { lines.append("compare with PyTorch: python3 Scripts/bench-pytorch.py, then loss-doctor bench --pytorch MS") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Simulated training: one run, the target (one loss plus the references it is judged against,
    /// what the first simulated check of a process pays), and a simulated check once the references are cached.
    static func simulationRows(_ scale: Int) -> [Row] {
        guard let diceFloor = ReferenceLosses.named("dice-floor")?.function,
              let softDice = ReferenceLosses.named("soft-dice")?.function else { return [] }
        let references = ReferenceLosses.healthy.map(\.function)
        let steps = Simulation.standardBudget.steps
        return [
            time("simulate dice-floor (\(steps) steps)", runs: 5 * scale) { _ = Simulation.train(diceFloor) },
            time("simulate soft-dice (\(steps) steps)", runs: 5 * scale) { _ = Simulation.train(softDice) },
            time("simulate dice-floor + its \(references.count) references", runs: 2 * scale) {
                _ = Simulation.train([diceFloor] + references)
            },
            time("check dice-floor, simulated, references cached", runs: 5 * scale) { _ = LossCheck.check(diceFloor, simulate: true) },
            time("simulate ce-dice, one-hot C = 3 (\(steps) steps)", runs: 5 * scale) {
                _ = Simulation.train(ReferenceRuns.crossEntropyDice, format: .oneHot(classes: 3))
            },
        ]
    }

    /// Whole processes, side by side: start-up, one full check of a built-in with the simulated run, and a
    /// 50-file directory on one thread and on `threads`; the lines give them as ratios to the targets.
    static func processRows(_ scale: Int, threads: Int) -> (rows: [Row], lines: [String]) {
        guard let executable = ProcessBenchmark.executable else { return ([], ["process rows: not run (not the loss-doctor executable)"]) }
        let start = time("start: --version, new process", runs: 10 * scale) { ProcessBenchmark.spawn(executable, ["--version"]) }
        let full = time("check --loss dice-floor, simulated, new process", runs: 5 * scale) {
            ProcessBenchmark.spawn(executable, ["check", "--loss", "dice-floor", "--format", "json"])
        }
        var rows = [start, full]
        var lines = [
            "start-up / \(formatNumber(ProcessBenchmark.startTarget)) ms target: \(formatNumber(seconds(start.median) * 1e3 / ProcessBenchmark.startTarget, significant: 3))x; "
                + "full check / \(formatNumber(ProcessBenchmark.fullCheckTarget)) ms target: \(formatNumber(seconds(full.median) * 1e3 / ProcessBenchmark.fullCheckTarget, significant: 3))x",
        ]
        let files = 50
        guard let directory = ProcessBenchmark.lossDirectory(count: files) else { return (rows, lines + ["\(files)-file rows: cannot write a temporary directory"]) }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let one = time("check \(files) files, 1 thread, new process", runs: scale) {
            ProcessBenchmark.spawn(executable, ["check", directory, "--format", "json"], environment: ["LOSS_DOCTOR_THREADS": "1"])
        }
        let all = time("check \(files) files, \(threads) threads, new process", runs: scale) {
            ProcessBenchmark.spawn(executable, ["check", directory, "--format", "json"], environment: ["LOSS_DOCTOR_THREADS": String(threads)])
        }
        rows += [one, all]
        lines.append("\(files) files on \(threads) threads / on 1 (median): \(ratio(one.median, all.median))x faster")
        return (rows, lines)
    }

    /// One timed case.
    struct Row {
        let name: String
        let runs: Int
        let median: Duration
        let min: Duration
    }

    /// Times `body` `runs` times (after one untimed warm-up run) with the monotonic clock.
    static func time(_ name: String, runs: Int, _ body: () -> Void) -> Row {
        let clock = ContinuousClock()
        body()
        var samples = (0..<runs).map { _ in clock.measure(body) }
        samples.sort()
        return Row(name: name, runs: runs, median: samples[samples.count / 2], min: samples[0])
    }

    /// The pooled soft Dice `1 - (2 Σ y p + 1) / (Σ y + Σ p + 1)` on a fixed target and prediction.
    struct SoftDiceCase {
        let shape: [Int]
        let target: [Float]
        let prediction: [Float]

        init(shape: [Int]) {
            self.shape = shape
            var generator = SeededGenerator(seed: 2024)
            let n = elementCount(shape)
            // About 10 % foreground, and a uniform random prediction.
            target = (0..<n).map { _ in generator.nextUnit() < 0.1 ? 1 : 0 }
            prediction = (0..<n).map { _ in generator.nextUnit() }
        }

        var label: String { "(" + shape.map(String.init).joined(separator: "x") + ")" }

        /// The loss graph on a fresh variable.
        func graph() -> (loss: Tensor, p: Tensor) {
            let y = Tensor(shape: shape, scalars: target)
            let p = Tensor.variable(shape: shape, scalars: prediction)
            // The engine cannot fail on these shapes; a failure would be a bug worth crashing on.
            let loss = try! 1 - (2 * (y * p).sum() + 1) / (y.sum() + p.sum() + 1)
            return (loss, p)
        }

        /// Forward and backward through the engine (plain gradients, as a training step needs).
        func engine() {
            let (loss, p) = graph()
            blackHole(loss.scalars[0] + (loss.gradients(withRespectTo: [p])[0]?[0] ?? 0))
        }

        /// Forward and backward with the diagnostics a probe records (cuts, zeroing ops, norm).
        func engineDiagnosed() {
            let (loss, p) = graph()
            blackHole(loss.scalars[0] + Float(loss.gradient(withRespectTo: p).norm))
        }

        /// The same value and gradient in two fused passes over the data.
        func fused() {
            let (loss, gradient) = fusedValues()
            blackHole(loss + gradient[0])
        }

        func fusedValues() -> (loss: Float, gradient: [Float]) {
            let n = target.count
            var intersection = SIMD8<Float>(), targetSum = SIMD8<Float>(), predictionSum = SIMD8<Float>()
            var tail = SIMD3<Float>()
            target.withUnsafeBufferPointer { y in
                prediction.withUnsafeBufferPointer { p in
                    let y8 = UnsafeRawPointer(y.baseAddress!), p8 = UnsafeRawPointer(p.baseAddress!)
                    var i = 0
                    while i + 8 <= n {
                        let a = y8.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                        let b = p8.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                        intersection += a * b; targetSum += a; predictionSum += b
                        i += 8
                    }
                    while i < n { tail += SIMD3(y[i] * p[i], y[i], p[i]); i += 1 }
                }
            }
            let numerator = 2 * (intersection.sum() + tail[0]) + 1
            let denominator = targetSum.sum() + tail[1] + predictionSum.sum() + tail[2] + 1
            // d/dp_i [1 - N/D] = N/D² - 2 y_i / D
            let base = numerator / (denominator * denominator), scale = 2 / denominator
            let gradient = [Float](unsafeUninitializedCapacity: n) { out, count in
                target.withUnsafeBufferPointer { y in
                    for i in 0..<n { out[i] = base - scale * y[i] }
                }
                count = n
            }
            return (1 - numerator / denominator, gradient)
        }

        /// How far the engine's loss and gradient are from the fused loop's.
        func agreement() -> (lossDifference: Float, gradientDifference: Float) {
            let (loss, p) = graph()
            let engineGradient = loss.gradients(withRespectTo: [p])[0] ?? []
            let (fusedLoss, fusedGradient) = fusedValues()
            let worst = zip(engineGradient, fusedGradient).reduce(Float(0)) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
            return (Swift.abs(loss.scalars[0] - fusedLoss), worst)
        }
    }

    /// The process's peak resident memory around a piece of work.
    enum PeakMemory {
        /// What `check --all` may take at its peak (the limit).
        static let budgetMegabytes = 200

        /// Runs `body` and returns the peak resident bytes it reached, and how they were measured. On Linux the
        /// peak (VmHWM) is reset first through /proc/self/clear_refs, so only `body`'s peak counts.
        static func measure(_ body: () -> Void) -> (bytes: Int, source: String)? {
            #if os(Linux)
            let reset = write("/proc/self/clear_refs", "5")
            body()
            guard let kilobytes = statusField("VmHWM") else { return nil }
            return (kilobytes * 1024, reset ? "VmHWM, reset before the check" : "VmHWM of the whole process")
            #else
            body()
            var usage = rusage()
            guard getrusage(RUSAGE_SELF, &usage) == 0 else { return nil }
            return (Int(usage.ru_maxrss), "ru_maxrss of the whole process")  // bytes on Darwin
            #endif
        }

        #if os(Linux)
        /// A `kB` field of /proc/self/status (`VmHWM:   81234 kB`).
        static func statusField(_ name: String) -> Int? {
            guard let file = fopen("/proc/self/status", "r") else { return nil }
            defer { fclose(file) }
            var line = [CChar](repeating: 0, count: 256)
            while fgets(&line, Int32(line.count), file) != nil {
                let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                guard text.hasPrefix(name + ":") else { continue }
                return Int(text.dropFirst(name.count + 1).filter(\.isNumber))
            }
            return nil
        }

        static func write(_ path: String, _ text: String) -> Bool {
            guard let file = fopen(path, "w") else { return false }
            defer { fclose(file) }
            return fputs(text, file) >= 0
        }
        #endif
    }

    #if DEBUG
    private static let buildKind = "DEBUG build: not representative"
    #else
    private static let buildKind = "release build"
    #endif

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private static func milliseconds(_ d: Duration) -> String { formatNumber(seconds(d) * 1e3, significant: 3) }

    private static func ratio(_ a: Duration, _ b: Duration) -> String { formatNumber(seconds(a) / seconds(b), significant: 3) }

    private static func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: Swift.max(0, width - s.count)) }
    private static func leftPad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: Swift.max(0, width - s.count)) + s }

    /// Keeps the optimiser from discarding a result.
    @inline(never)
    static func blackHole(_ value: Float) {
        if value == .pi * 1e30 { print("") }
    }
}
