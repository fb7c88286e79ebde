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

/// How `check --execute` runs the user's code: which Python, which adapter, and the child's limits.
struct ExecutionOptions: Sendable {
    /// The Python interpreter to start (default: `python3` on PATH).
    var python = "python3"
    /// `auto` (PyTorch when importing the file imported torch, else TensorFlow when it imported TensorFlow or Keras on
    /// TensorFlow, else NumPy), `torch`, `tensorflow`, `numpy` or `finite-difference`.
    var adapter = "auto"
    /// Seconds the child may run before it is killed.
    var timeout: Double = 300
    /// The child's address-space limit (RLIMIT_AS), set by the runner before it imports the user's module.
    var memoryBytes = 16 << 30
    /// The probes: the same geometry a check uses unless a test makes them smaller.
    var runner = ProbeRunner()

    init() {}
}

/// `check --execute`: the probes exported, the user's loss evaluated in their own framework by the runner script,
/// its JSON evidence read back into the `Evidence` the rules read, so the same rules fire with the same messages.
/// The simulated training is not run: it trains the engine's model through the engine's gradient, which an
/// executed loss does not have.
enum Execution {
    /// The rules an executed loss cannot feed: their codes, in order.
    static let interpreterOnlyRules = RuleRegistry.all.filter { $0.reads != .probes }.map(\.description.code)

    /// Rule categories that need gradients, which NumPy does not have.
    static let gradientCategories: Set<String> = ["gradient", "scale"]

    /// One report per loss of `file`, evaluated in Python.
    static func check(_ file: SourceFile, path: String, options: ExecutionOptions) -> [Report] {
        let directory = FileManager.default.temporaryDirectory.appending(path: "loss-doctor-execute-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            return try run(file, path: path, directory: directory, options: options)
        } catch {
            let finding = PythonErrorRule().executionFailed(file.file, python: options.python, error: "\(error)")
            return file.losses.map { Report(loss: $0.name, findings: [finding], evidence: .none($0.name)) }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private static func run(_ file: SourceFile, path: String, directory: String, options: ExecutionOptions) throws -> [Report] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var exports: [String: ProbeExport] = [:]
        var losses: [JSONValue] = []
        for loss in file.losses {
            // The arrays the check evaluates this loss on: its domain, layout, inferred target format, and volumes.
            let shape = loss.source?.shape ?? .images
            let key = "\(loss.domain.rawValue)-\(loss.layout.rawValue)-\(ProbeExport.setName(loss.target))\(shape.setSuffix)"
            if exports[key] == nil {
                let export = ProbeExport(runner: options.runner, domain: loss.domain, layout: loss.layout, format: loss.target, shape: shape)
                do { _ = try export.write(to: directory + "/" + key) } catch { throw Failure(description: error.message) }
                exports[key] = export
            }
            let items = exports[key]!.items.map { item -> JSONValue in
                .object(["id": .string(item.id), "kind": .string(item.kind.rawValue),
                         "target": .string("\(directory)/\(key)/\(item.targetFile)"),
                         "prediction": .string("\(directory)/\(key)/\(item.predictionFile)")])
            }
            losses.append(.object(["name": .string(loss.name), "call": .string(loss.source?.call ?? loss.name),
                                   "target_first": .bool(loss.source?.origin.targetFirst ?? true),
                                   "mask_argument": .bool(loss.source?.maskArgument ?? false), "items": .array(items)]))
        }
        let request = JSONValue.object(["file": .string(URL(filePath: path).standardizedFileURL.path), "adapter": .string(options.adapter),
                                        "memory_bytes": .number(options.memoryBytes), "losses": .array(losses)])
        try Data(request.serialized().utf8).write(to: URL(filePath: directory + "/request.json"))
        try Data(RunnerScript.source.utf8).write(to: URL(filePath: directory + "/runner.py"))
        let stderr = try launch(options, arguments: [directory + "/runner.py", directory + "/request.json", directory + "/result.json"],
                                directory: directory)
        let result = try readResult(directory + "/result.json", stderr: stderr)
        if let error = result["module_error"], error.objectValue != nil {
            let failure = failureFinding(error, file: file.file, probe: nil)
            return file.losses.map { Report(loss: $0.name, findings: [failure], evidence: .none($0.name)) }
        }
        let framework = result["framework"]?.stringValue.map { String($0.prefix(80)) } ?? "Python"
        let adapter = result["adapter"]?.stringValue ?? "?"
        let entries = result["losses"]?.objectArrayValue ?? []
        return file.losses.map { loss in
            guard let entry = entries.first(where: { $0["name"]?.stringValue == loss.name }) else {
                return Report(loss: loss.name, findings: [], evidence: .none(loss.name))
            }
            return report(loss, entry: entry, file: file.file, framework: framework, adapter: adapter)
        }
    }

    /// Starts the child with a minimal environment, output to files (never a pipe it could fill), and kills it
    /// at the timeout. Returns the tail of its standard error.
    private static func launch(_ options: ExecutionOptions, arguments: [String], directory: String) throws -> String {
        let parent = ProcessInfo.processInfo.environment
        var environment = ["HOME": directory, "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1",
                           "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": parent["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]
        // What Python itself needs to find the user's packages; nothing of LossDoctor's own environment.
        for key in ["PYTHONPATH", "VIRTUAL_ENV", "PYENV_VERSION", "PYENV_ROOT"] { environment[key] = parent[key] }
        // A bare name is looked up on the child's PATH by env, as a shell would.
        let (executable, fullArguments) = options.python.contains("/") ? (options.python, arguments)
                                                                        : ("/usr/bin/env", [options.python] + arguments)
        let child: Subprocess
        do {
            child = try Subprocess.start(executable, arguments: fullArguments, environment: environment.compactMapValues { $0 },
                                         directory: directory, standardOutput: directory + "/stdout.txt", standardError: directory + "/stderr.txt")
        } catch {
            throw Failure(description: "cannot start '\(options.python)': \(error)")
        }
        // A timeout beyond any run (a library caller's .infinity) waits without overflowing the clock.
        let deadline = ContinuousClock.now + .seconds(Swift.min(Swift.max(options.timeout, 0), 1e9))
        guard let status = child.status(waitingUntil: deadline) else {
            child.terminate()
            throw Failure(description: "the loss did not finish within \(Int(options.timeout)) s")
        }
        let stderr = (try? String(contentsOfFile: directory + "/stderr.txt", encoding: .utf8)) ?? ""
        if status != 0 {
            let last = stderr.split(separator: "\n").last.map { String($0.prefix(300)) } ?? "no message"
            throw Failure(description: "the runner exited with status \(status): \(last)")
        }
        return String(stderr.suffix(2000))
    }

    /// The result file, read defensively: bounded in size, JSON, an object.
    private static func readResult(_ path: String, stderr: String) throws -> JSONValue {
        var status = stat()
        guard stat(path, &status) == 0, status.st_size <= 64 << 20,
              let data = FileManager.default.contents(atPath: path),
              let object = try? JSONValue(parsing: [UInt8](data)), object.objectValue != nil,
              object["protocol"]?.intValue == 1 else {
            throw Failure(description: "the runner wrote no readable evidence" + (stderr.isEmpty ? "" : ": \(stderr.split(separator: "\n").last ?? "")"))
        }
        return object
    }

    /// A number from the evidence: JSON numbers, and the NaN/Infinity Python's json writes.
    private static func number(_ value: JSONValue?) -> Double? {
        if let number = value?.doubleValue { return number }
        switch value?.stringValue {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return nil
        }
    }

    private static func failureFinding(_ error: JSONValue, file: String, probe: String?) -> Finding {
        let failure = probeFailure(error, file: file, probe: probe ?? "import")
        return PythonErrorRule().raisedWhenExecuted(failure, probe: probe, file: file)
    }

    private static func probeFailure(_ error: JSONValue, file: String, probe: String) -> ProbeFailure {
        let type = error["type"]?.stringValue.map { String($0.prefix(80)) } ?? "Exception"
        let message = error["message"]?.stringValue.map { String($0.prefix(300)) } ?? ""
        let site = error["site"].flatMap { site -> SourceSite? in
            guard let line = site["line"]?.intValue, line > 0 else { return nil }
            return SourceSite(file: file, line: line, column: site["column"]?.intValue ?? 1)
        }
        return ProbeFailure(probe: probe, message: "`\(type): \(message)`", site: site, kind: .pythonError, hint: nil)
    }

    /// The recorded ops of the framework as LossDoctor's op sites: `//`, `detach`, comparisons, casts cut the
    /// gradient; `round`, `floor`, `ceil`, `sign` zero it.
    static func opSites(_ records: [JSONValue], file: String) -> (cuts: [OpSite], zeroing: [OpSite]) {
        var cuts: [OpSite] = [], zeroing: [OpSite] = []
        for record in records.prefix(1000) {
            guard let name = record["op"]?.stringValue else { continue }
            let place = record["line"]?.arrayValue?.compactMap(\.intValue) ?? []
            let site = place.count == 2 && place[0] > 0 ? SourceSite(file: file, line: place[0], column: Swift.max(1, place[1])) : nil
            let op: Op? = switch name {
            case "//": .floorDivide
            // `.item()` and `.numpy()` leave the graph as `detach` does (the interpreter reports them as LD107 too).
            case "stop_gradient", "item", "numpy": .stopGradient
            case ">": .compare(.greater)
            case "<": .compare(.less)
            case ">=": .compare(.greaterEqual)
            case "<=": .compare(.lessEqual)
            case "==": .compare(.equal)
            case "!=": .compare(.notEqual)
            case "argmax": .argmax(axis: -1)
            case "cast": .cast(.int64)
            case "round": .round
            case "floor": .floor
            case "ceil": .ceil
            case "sign": .sign
            default: nil
            }
            guard let op else { continue }
            if case .zeroAlmostEverywhere = op.gradientClass { zeroing.append(OpSite(op, site: site)) } else { cuts.append(OpSite(op, site: site)) }
        }
        var seen = Set<OpSite>()
        return (cuts.filter { seen.insert($0).inserted }, zeroing.filter { seen.insert($0).inserted })
    }

    private static func gradient(_ item: JSONValue, file: String) -> GradientState {
        let g = item["gradient"] ?? .object([:])
        let (cuts, zeroing) = opSites(item["ops"]?.objectArrayValue ?? [], file: file)
        let state: GradientResult.State = switch g["state"]?.stringValue {
        case "missing": .missing
        case "zero": .zero
        case "non-finite": .nonFinite
        default: .healthy
        }
        return GradientState(state: state, norm: number(g["norm"]) ?? 0, mass: number(g["mass"]) ?? 0, cuts: cuts, zeroing: zeroing)
    }

    /// The evidence of one loss from its entry of the result, judged by the rules.
    static func report(_ loss: LossFunction, entry: JSONValue, file: String, framework: String, adapter: String) -> Report {
        if let error = entry["error"], error.objectValue != nil {
            return Report(loss: loss.name, findings: [failureFinding(error, file: file, probe: nil)], evidence: .none(loss.name))
        }
        let items = (entry["items"]?.objectArrayValue ?? []).filter { $0["id"]?.stringValue != nil }
        var observations: [Observation] = [], failures: [ProbeFailure] = []
        var sweepValues: [String: [Float]] = [:]
        var scale: [String: (value: Float, mass: Double)] = [:]
        var perClass: [String: Float] = [:]
        for item in items {
            let id = item["id"]!.stringValue!
            if let error = item["error"], error.objectValue != nil {
                if item["kind"]?.stringValue == "probe" { failures.append(probeFailure(error, file: file, probe: id)) }
                continue
            }
            let value = Float(number(item["value"]) ?? .nan)
            switch item["kind"]?.stringValue {
            case "probe":
                let parts = id.split(separator: "/").map(String.init)
                guard parts.count == 2, let mask = MaskKind(rawValue: parts[0]), let prediction = PredictionKind(rawValue: parts[1]) else { continue }
                let shape = (item["shape"]?.arrayValue ?? []).prefix(8).compactMap(\.intValue)
                observations.append(Observation(mask: mask, prediction: prediction, value: value, outputShape: shape,
                                                gradient: gradient(item, file: file), firstNonFiniteOp: nil))
            case "sweep":
                sweepValues[id, default: []].append(value)
            case "scale":
                scale[id] = (value, gradient(item, file: file).mass)
            case "class":
                perClass[id] = value
            default: continue
            }
        }
        let sweeps = ProbeRunner.sweepTable.compactMap { entry -> Sweep? in
            let id = entry.description
            guard let values = sweepValues[id], !values.isEmpty else { return nil }
            return Sweep(id: id, mask: entry.mask, from: entry.from, to: entry.to, values: values)
        }
        var scaleEvidence: ScaleEvidence? = nil
        if let base = observations.first(where: { $0.probe == VariantProbeID.doubledBatch.base }), let doubled = scale[VariantProbeID.doubledBatch.description],
           let up = scale[VariantProbeID.upsampled.description], let pooled = observations.first(where: { $0.probe == VariantProbeID.sample(0).base }) {
            let samples = (0..<16).compactMap { scale[VariantProbeID.sample($0).description]?.value }
            scaleEvidence = ScaleEvidence(probe: base.probe, base: ScaleSample(value: base.value, mass: base.gradient.mass),
                                          doubledBatch: ScaleSample(value: doubled.value, mass: doubled.mass),
                                          upsampled: ScaleSample(value: up.value, mass: up.mass), poolingProbe: pooled.probe,
                                          batchValue: pooled.value, perSampleValues: samples)
        }
        var evidence = Evidence(lossName: loss.name, domain: loss.domain, layout: loss.layout, observations: observations, sweeps: sweeps,
                                scale: scaleEvidence, terms: [], graphFacts: [], failures: failures)
        evidence.target = loss.target
        evidence.shape = loss.source?.shape ?? .images
        if loss.target.isMultiClass, let perfect = observations.first(where: { $0.probe == .probe(.imbalanced, .perfect) })?.value {
            // As ProbeRunner.classEvidence: a probe that raised counts as NaN.
            let missing = (1..<loss.target.classes).map { perClass[VariantProbeID.withoutClass($0).description] ?? .nan }
            let ignored: Float? = if case .classIndex(_, .some) = loss.target { Swift.abs((perClass[VariantProbeID.ignoredWrong.description] ?? .nan) - perfect) } else { nil }
            evidence.classes = ClassEvidence(probe: .probe(.imbalanced, .perfect), perfect: perfect, missingClass: missing, ignoredChange: ignored)
        }
        let (facts, tracing) = traceFailure(items, file: file)
        evidence.sourceFacts = facts
        var findings = RuleRegistry.check(evidence)
        if adapter == "numpy" {
            findings = findings.filter { !gradientCategories.contains($0.rule?.category ?? "") }
        }
        if let origin = loss.source?.origin { findings = findings.map { $0.anchored(at: origin.site) } }
        var report = Report(loss: loss.name, findings: findings, evidence: evidence)
        if let origin = loss.source?.origin {
            let gradients = adapter == "numpy" ? "; values only: NumPy has no gradients, the gradient and scale rules did not run" : ""
            let notRun = "; not run, as they read what only LossDoctor's interpreter records (its graph, per-term gradients, the source, "
                + "the simulated training): " + interpreterOnlyRules.joined(separator: " ")
            report.origin = LossOrigin(site: origin.site, targetParameter: origin.targetParameter, predictionParameter: origin.predictionParameter,
                                       targetFirst: origin.targetFirst,
                                       inference: "executed in \(framework) (--execute ran your code, adapter \(adapter), on the probes of target \(loss.target.summary)\(gradients)\(tracing)\(notRun)); \(origin.inference)")
        }
        return report
    }
}

extension Execution {
    /// TensorFlow's adapter traces the loss with `tf.function` as Keras's `model.fit` does (no autograph); where that
    /// raised, its values and gradients are eager ones and no graph op was recorded. A tensor used as a Python bool is
    /// what `model.fit` refuses (LD604, at the user's line); any other error is named in the report's header.
    static func traceFailure(_ items: [JSONValue], file: String) -> (facts: [SourceFact], note: String) {
        guard let error = items.lazy.compactMap({ $0["graph_error"] }).first(where: { $0.objectValue != nil }) else { return ([], "") }
        let failure = probeFailure(error, file: file, probe: "graph")
        let note = "; tf.function could not trace it (\(failure.message)): eager values and gradients, no graph ops recorded"
        guard error["type"]?.stringValue == "OperatorNotAllowedInGraphError" else { return ([], note) }
        let fact = SourceFact(kind: .tensorAsBoolWhenTraced(raised: firstSentence(failure.message)),
                              site: failure.site ?? SourceSite(file: file, line: 1, column: 1))
        return ([fact], note)
    }

    /// A framework's message up to its first sentence's end (TensorFlow's go on with advice for other settings).
    private static func firstSentence(_ message: String) -> String {
        guard let end = message.firstRange(of: ". ") else { return message }
        return String(message[..<end.lowerBound]) + (message.hasPrefix("`") ? "`" : "")
    }
}

extension GradientState {
    /// A gradient summarised by an executed framework: its state, norm and mass, and the ops it recorded.
    init(state: GradientResult.State, norm: Double, mass: Double, cuts: [OpSite], zeroing: [OpSite]) {
        self.state = state
        self.norm = norm
        self.mass = mass
        self.cuts = cuts
        self.zeroing = zeroing
        self.firstNonFinite = nil
    }
}
