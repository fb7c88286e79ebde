import Foundation
import Testing
@testable import LossDoctor

/// `check --execute` end to end with the system's `python3` and NumPy: the probes exported, the runner script
/// started, its JSON evidence read back into the rules. PyTorch and TensorFlow are not needed (their adapters
/// are tested by running the CLI against them by hand; see the report of issue 14 and docs/execute-tensorflow.md;
/// `ExecuteTensorFlowTests` runs when a Python with TensorFlow is found).
@Suite("execute in Python")
struct ExecuteTests {
    /// Whether `python3` with NumPy runs here; the tests that need it are skipped, saying so, when it does not.
    static let hasNumPy: Bool = {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static func file(_ source: String) throws -> String {
        let directory = try EvalCommandTests.scratch("execute")
        let path = directory + "/losses.py"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Small probes (4 x 8 x 8): the finite-difference adapter evaluates each loss seven times per array pair.
    static var smallOptions: ExecutionOptions {
        var options = ExecutionOptions()
        options.adapter = "finite-difference"
        options.runner.geometry.height = 8
        options.runner.geometry.width = 8
        options.timeout = 120
        return options
    }

    static func reports(_ source: String, options: ExecutionOptions = smallOptions) throws -> [Report] {
        let path = try file(source)
        let prepared = SourceChecker.prepare(path: path)
        #expect(!prepared.losses.isEmpty, "\(prepared.fileErrors.map(\.message))")
        return Execution.check(prepared, path: path, options: options)
    }

    @Test("a NumPy loss executes: values only, the header says so, the value rules fire as the interpreter's do",
          .enabled(if: hasNumPy, "python3 with NumPy is not installed"))
    func numpyValuesOnly() throws {
        let path = try Self.file("""
            import numpy as np


            def dice_loss(y_true, y_pred):
                intersection = np.sum(y_true * y_pred, axis=(1, 2, 3))
                union = np.sum(y_true, axis=(1, 2, 3)) + np.sum(y_pred, axis=(1, 2, 3))
                return np.mean(1.0 - 2.0 * intersection / union)
            """)
        let executed = CLI.run(["check", path, "--execute", "--no-simulate", "--format", "json"])
        #expect(executed.exitCode == 1, "\(executed.stderr)")
        // The same loss in the engine (a closure: no interpreter, whose time limit a loaded test machine can hit).
        let engine = LossCheck.check { y, p in
            let intersection = try (y * p).sum(axes: [1, 2, 3])
            let union = try y.sum(axes: [1, 2, 3]) + p.sum(axes: [1, 2, 3])
            return try (1 - 2 * intersection / union).mean()
        }
        let text = CLI.run(["check", path, "--execute", "--no-simulate"]).stdout
        #expect(text.contains("executed in NumPy"))
        #expect(text.contains("values only: NumPy has no gradients"))
        func codes(_ json: String) throws -> [String] {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let loss = try #require((document["losses"] as? [[String: Any]])?.first)
            return (loss["summary"] as? [String: Any])?["codes"] as? [String] ?? []
        }
        // 0/0 on the empty mask predicted empty: the same non-finite finding from NumPy's own numbers.
        let gradientFree = engine.codes.filter { !["1", "4"].contains($0.dropFirst(2).prefix(1)) }
        #expect(try codes(executed.stdout) == gradientFree)
        #expect(gradientFree.contains("LD201"))
    }

    @Test("finite differences tell a zero gradient from a healthy one, and the same rules fire",
          .enabled(if: hasNumPy, "python3 with NumPy is not installed"))
    func finiteDifferences() throws {
        let reports = try Self.reports("""
            import numpy as np


            def iou_floor_loss(y_true, y_pred):
                intersection = np.sum(y_true * y_pred)
                union = np.sum(y_true) + np.sum(y_pred) - intersection
                return 1.0 - np.floor_divide(intersection + 1.0, union + 1.0)


            def soft_dice_loss(y_true, y_pred):
                intersection = np.sum(y_true * y_pred, axis=(1, 2, 3))
                union = np.sum(y_true, axis=(1, 2, 3)) + np.sum(y_pred, axis=(1, 2, 3))
                return np.mean(1.0 - (2.0 * intersection + 1.0) / (union + 1.0))
            """)
        #expect(reports.map(\.loss) == ["iou_floor_loss", "soft_dice_loss"])
        let floor = reports[0], dice = reports[1]
        #expect(floor.evidence.observation(.balanced, .uniform)?.gradient.state == .zero)
        #expect(floor.codes.contains("LD105"))
        #expect(dice.evidence.observation(.balanced, .uniform)?.gradient.state == .healthy)

        #expect(floor.origin?.inference.contains("executed in finite differences on NumPy") == true)
        // The header names the rules an executed loss cannot feed: dead terms need per-term gradients, LD202 the engine's graph.
        let header = floor.origin?.inference ?? ""
        #expect(header.contains("not run, as they read what only LossDoctor's interpreter records") && header.contains("LD104")
                && header.contains("LD202") && !header.contains("LD101"), "\(header)")
        // The estimate of the norm is close to the engine's exact one for the same loss.
        let engine = try #require(SourceChecker.prepare(path: try Self.file("""
            import numpy as np


            def soft_dice_loss(y_true, y_pred):
                intersection = np.sum(y_true * y_pred, axis=(1, 2, 3))
                union = np.sum(y_true, axis=(1, 2, 3)) + np.sum(y_pred, axis=(1, 2, 3))
                return np.mean(1.0 - (2.0 * intersection + 1.0) / (union + 1.0))
            """)).losses.first)
        let engineEvidence = Self.smallOptions.runner.run(engine)
        let exact = engineEvidence.observation(.balanced, .uniform)!.gradient.norm
        let measured = dice.evidence.observation(.balanced, .uniform)!.gradient.norm
        #expect(abs(measured - exact) <= 1e-3 * exact, "\(measured) vs \(exact)")
        // Where both analyse the loss, they agree: the same codes from the engine's evidence and the executed one.
        #expect(dice.codes == RuleRegistry.check(engineEvidence).map(\.code).uniqueSorted, "\(dice.codes)")
    }

    @Test("a non-finite gradient, and an exception located at the user's line",
          .enabled(if: hasNumPy, "python3 with NumPy is not installed"))
    func nonFiniteAndExceptions() throws {
        let reports = try Self.reports("""
            import numpy as np


            def sqrt_loss(y_true, y_pred):
                return np.mean(np.sqrt(y_pred) * y_true)


            def picky_loss(y_true, y_pred):
                if np.sum(y_true) == 0:
                    raise ValueError("empty mask")
                return np.mean((y_true - y_pred) ** 2)
            """)
        let sqrt = reports[0], picky = reports[1]
        #expect(sqrt.evidence.observation(.balanced, .perfect)?.gradient.state == .nonFinite, "\(sqrt.findings.map(\.message))")
        #expect(sqrt.evidence.observation(.balanced, .uniform)?.gradient.state == .healthy)
        let failure = try #require(picky.evidence.failures.first)
        #expect(failure.probe.hasPrefix("empty/"))
        #expect(failure.site?.line == 10)
        #expect(failure.message == "`ValueError: empty mask`")
        #expect(picky.findings.contains { $0.code == "LD603" && $0.site?.line == 10 })
    }

    @Test("a module that fails to import is an LD603 error at its line; a missing Python is a clear error",
          .enabled(if: hasNumPy, "python3 with NumPy is not installed"))
    func moduleErrors() throws {
        let broken = try Self.reports("""
            import numpy as np

            SCALE = 1 / 0


            def loss(y_true, y_pred):
                return np.mean(y_pred)
            """)
        #expect(broken.first?.findings.first?.code == "LD603")
        #expect(broken.first?.findings.first?.site?.line == 3)
        #expect(broken.first?.findings.first?.message.contains("ZeroDivisionError") == true)

        var options = Self.smallOptions
        options.python = "/nonexistent/python3"
        let missing = try Self.reports("import numpy as np\n\n\ndef loss(y_true, y_pred):\n    return np.mean(y_pred)\n", options: options)
        #expect(missing.first?.findings.first?.message.contains("cannot start '/nonexistent/python3'") == true)
        #expect(missing.first?.evidence.wasProbed == false)
    }

    @Test("a loss that hangs is killed at the timeout", .enabled(if: hasNumPy, "python3 with NumPy is not installed"))
    func timeout() throws {
        var options = Self.smallOptions
        options.timeout = 2
        let start = Date()
        let reports = try Self.reports("import numpy as np\nimport time\n\n\ndef loss(y_true, y_pred):\n    time.sleep(60)\n    return np.mean(y_pred)\n",
                                       options: options)
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(reports.first?.findings.first?.message.contains("did not finish within 2 s") == true)
    }

    /// A scratch package `toolkit` whose `losses/losses.py` imports its helpers relatively (`from .functional`,
    /// `from ..constants`), as library losses do; returns the path of `losses.py`.
    static func package() throws -> String {
        let root = try EvalCommandTests.scratch("execute-package") + "/toolkit"
        let files = [
            "__init__.py": "",
            "constants.py": "EPS = 1e-7\n",
            "losses/__init__.py": "",
            "losses/functional.py": """
                import numpy as np

                from ..constants import EPS


                def soft_dice(y_true, y_pred, smooth):
                    intersection = np.sum(y_true * y_pred, axis=(1, 2, 3))
                    union = np.sum(y_true, axis=(1, 2, 3)) + np.sum(y_pred, axis=(1, 2, 3))
                    return np.mean(1.0 - (2.0 * intersection + smooth) / (union + smooth + EPS))
                """,
            "losses/losses.py": """
                from .functional import soft_dice


                class DiceLoss:
                    def __init__(self, mode, smooth):
                        if mode != "binary":
                            raise ValueError("only binary")
                        self.smooth = smooth

                    def __call__(self, y_true, y_pred):
                        return soft_dice(y_true, y_pred, self.smooth)
                """,
        ]
        try FileManager.default.createDirectory(atPath: root + "/losses", withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: root + "/" + name, atomically: true, encoding: .utf8) }
        return root + "/losses/losses.py"
    }

    /// Small probes and the NumPy adapter: values only, enough to compare with the interpreter's numbers.
    static var numpyOptions: ExecutionOptions {
        var options = smallOptions
        options.adapter = "numpy"
        return options
    }

    @Test("a file inside a package is imported by its dotted name: its relative imports resolve, and a class with required arguments is built as the interpreter built it",
          .enabled(if: hasNumPy, "python3 with NumPy is not installed"))
    func packageRelativeImports() throws {
        let path = try Self.package()
        let prepared = SourceChecker.prepare(path: path)
        let loss = try #require(prepared.losses.first, "\(prepared.fileErrors.map(\.message))")
        #expect(loss.source?.call == "DiceLoss(mode=\"binary\", smooth=1.0)")
        let executed = try #require(Execution.check(prepared, path: path, options: Self.numpyOptions).first)
        #expect(!executed.codes.contains("LD603"), "\(executed.findings.map(\.message))")
        #expect(executed.origin?.inference.contains("constructed as DiceLoss(mode=\"binary\", smooth=1.0)") == true)
        // The same object in both: the executed values are the interpreter's, probe by probe.
        let engine = Self.smallOptions.runner.run(loss)
        #expect(executed.evidence.observations.count == engine.observations.count)
        for observation in engine.observations {
            let value = try #require(executed.evidence.observations.first { $0.probe == observation.probe }?.value)
            #expect(abs(value - observation.value) <= 1e-5 * max(1, abs(observation.value)) || (value.isNaN && observation.value.isNaN),
                    "\(observation.probe): \(value) vs \(observation.value)")
        }
    }

    @Test("--function 'Cls(arg=...)' is executed with the user's arguments; an error while importing the package is located at its line",
          .enabled(if: hasNumPy, "python3 with NumPy is not installed"))
    func packageConstructorCall() throws {
        let path = try Self.package()
        let prepared = SourceChecker.prepare(path: path, options: SourceOptions(function: "DiceLoss(mode=\"binary\", smooth=50.0)"))
        let loss = try #require(prepared.losses.first, "\(prepared.fileErrors.map(\.message))")
        #expect(loss.source?.call == "DiceLoss(mode=\"binary\", smooth=50.0)")
        let executed = try #require(Execution.check(prepared, path: path, options: Self.numpyOptions).first)
        let engine = Self.smallOptions.runner.run(loss)
        // smooth=50 moves the balanced/uniform value far from smooth=1's: a default-built object would not match.
        let expected = try #require(engine.observation(.balanced, .uniform)).value
        let value = try #require(executed.evidence.observation(.balanced, .uniform)).value
        #expect(abs(value - expected) <= 1e-5, "\(value) vs \(expected)")

        // A broken relative import is an error of the importing file, at its line.
        try "from .functional import no_such_name\n\n\nclass DiceLoss:\n    def __call__(self, y_true, y_pred):\n        return y_pred.mean()\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let broken = SourceChecker.prepare(path: path)
        #expect(!broken.losses.isEmpty, "\(broken.fileErrors.map(\.message))")
        let report = try #require(Execution.check(broken, path: path, options: Self.numpyOptions).first)
        let finding = try #require(report.findings.first { $0.code == "LD603" })
        #expect(finding.message.contains("ImportError: cannot import name 'no_such_name' from 'toolkit.losses.functional'"), "\(finding.message)")
        #expect(finding.site?.line == 1)
    }

    @Test("a loss the interpreter probes with one-hot targets is executed on one-hot probes, with its per-class probes",
          .enabled(if: hasNumPy, "python3 with NumPy is not installed"))
    func multiClassFormat() throws {
        let path = try Self.file("""
            import numpy as np


            def categorical_dice_loss(y_true, y_pred):
                intersection = np.sum(y_true * y_pred, axis=(1, 2))
                union = np.sum(y_true, axis=(1, 2)) + np.sum(y_pred, axis=(1, 2))
                dice = (2.0 * intersection + 1.0) / (union + 1.0)
                return 1.0 - np.mean(dice[:, 1:])
            """)
        let prepared = SourceChecker.prepare(path: path)
        let loss = try #require(prepared.losses.first)
        #expect(loss.target.isMultiClass, "\(loss.target.summary)")
        let executed = try #require(Execution.check(prepared, path: path, options: Self.numpyOptions).first)
        #expect(executed.evidence.target == loss.target)
        #expect(executed.origin?.inference.contains("on the probes of target \(loss.target.summary)") == true)
        let engine = Self.smallOptions.runner.run(loss)
        for observation in engine.observations {
            let mine = try #require(executed.evidence.observations.first { $0.probe == observation.probe }, "\(observation.probe)")
            #expect(mine.outputShape == observation.outputShape)
            #expect(abs(mine.value - observation.value) <= 1e-5 * max(1, abs(observation.value)), "\(observation.probe)")
        }
        let classes = try #require(executed.evidence.classes)
        let expected = try #require(engine.classes)
        #expect(classes.missingClass.count == expected.missingClass.count)
        for (a, b) in zip(classes.missingClass, expected.missingClass) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
    }

    @Test("--execute is never implied, and --python needs it")
    func optIn() throws {
        let path = try Self.file("import numpy as np\n\n\ndef loss(y_true, y_pred):\n    return np.mean((y_true - y_pred) ** 2)\n")
        #expect(!CLI.run(["check", path, "--no-simulate"]).stdout.contains("executed"))
        let python = CLI.run(["check", path, "--python", "python3"])
        #expect(python.exitCode == 2)
        #expect(python.stderr.contains("'--python' needs '--execute'"))
        #expect(CLI.run(["check", "--help"]).stdout.contains("RUNS YOUR CODE"))
    }
}

extension Array where Element == String {
    var uniqueSorted: [String] { Array(Set(self)).sorted() }
}

/// The TensorFlow adapter's op names and the runner's choice of adapter. The mapping test is pure and always
/// runs; the end-to-end one needs a Python with TensorFlow: `python3` on PATH, or the one named by
/// `LOSSDOCTOR_TENSORFLOW_PYTHON` (e.g. a venv with `pip install tensorflow-cpu`).
@Suite("execute in TensorFlow")
struct ExecuteTensorFlowTests {
    /// A Python that imports TensorFlow, or nil: the tests that need it are skipped, saying so.
    static let tensorFlowPython: String? = {
        let candidates = [ProcessInfo.processInfo.environment["LOSSDOCTOR_TENSORFLOW_PYTHON"], "python3"].compactMap { $0 }
        return candidates.first { python in
            let process = Process()
            process.executableURL = URL(filePath: "/usr/bin/env")
            process.arguments = [python, "-c", "import tensorflow"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
    }()

    /// The values of a `name = {"key": "value", ...}` table of the runner script, by key.
    static func runnerTable(_ name: String) throws -> [String: String] {
        let source = RunnerScript.source
        let start = try #require(source.range(of: "\(name) = {"), "no table \(name) in the runner")
        let end = try #require(source[start.upperBound...].firstIndex(of: "}"))
        let quoted = source[start.upperBound..<end].split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(quoted.count % 2 == 0, "\(name): \(quoted)")
        return Dictionary(stride(from: 0, to: quoted.count - 1, by: 2).map { (quoted[$0], quoted[$0 + 1]) }, uniquingKeysWith: { a, _ in a })
    }

    @Test("every TensorFlow graph op the adapter records is one of LossDoctor's ops, cut or zeroing as the engine's")
    func graphOpNames() throws {
        let names = try Self.runnerTable("graph_names")
        // The TensorFlow ops that break or zero a gradient (Cast is the runner's own case: float to int or bool only).
        #expect(Set(names.keys) == ["FloorDiv", "StopGradient", "Greater", "Less", "GreaterEqual", "LessEqual", "Equal", "NotEqual",
                                    "ArgMax", "Round", "Floor", "Ceil", "Sign"])
        for (graphOp, name) in names.sorted(by: { $0.key < $1.key }) + [("Cast", "cast")] {
            let record = JSONValue.object(["op": .string(name), "line": .array([.number(7), .number(12)])])
            let (cuts, zeroing) = Execution.opSites([record], file: "losses.py")
            let site = try #require((cuts + zeroing).first, "\(graphOp) -> '\(name)' is not an op of Execution.opSites")
            #expect(site.site == SourceSite(file: "losses.py", line: 7, column: 12))
            let zeroes = ["Round", "Floor", "Ceil", "Sign"].contains(graphOp)
            #expect(zeroing.isEmpty != zeroes && cuts.isEmpty == zeroes, "\(graphOp) -> \(name)")
        }
        #expect(Execution.opSites([.object(["op": .string("FloorDiv")])], file: "losses.py").cuts.isEmpty,
                "graph op types are mapped in the runner, never passed through")
        // The torch adapter's names land in the same table.
        for name in Set(try Self.runnerTable("cut_names").values) {
            #expect(Execution.opSites([.object(["op": .string(name)])], file: "losses.py").cuts.count
                    + Execution.opSites([.object(["op": .string(name)])], file: "losses.py").zeroing.count == 1, "\(name)")
        }
    }

    @Test("a Keras Dice with floor division is LD101 at the `//` line from TensorFlow's own evaluation; a Python `if` on a tensor is LD604",
          .enabled(if: tensorFlowPython != nil, "no Python with TensorFlow: python3 cannot import it and LOSSDOCTOR_TENSORFLOW_PYTHON is not set"))
    func kerasFloorDivision() throws {
        var options = ExecuteTests.smallOptions
        options.adapter = "auto"
        options.python = try #require(Self.tensorFlowPython)
        options.timeout = 600
        let source = """
            import tensorflow as tf
            from tensorflow.keras import backend as K


            def floor_dice(y_true, y_pred):
                t = K.flatten(y_true)
                p = K.flatten(y_pred)
                both = K.sum(t * p)
                return 1.0 - (2.0 * both + 1.0) // (K.sum(t) + K.sum(p) + 1.0)


            def branching_dice(y_true, y_pred):
                if tf.reduce_sum(y_true) == 0:
                    return tf.reduce_mean(y_pred)
                both = tf.reduce_sum(y_true * y_pred)
                return 1.0 - (2.0 * both + 1.0) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + 1.0)


            def hard_dice(y_true, y_pred):
                p = K.round(y_pred)
                return 1.0 - (2.0 * K.sum(y_true * p) + 1.0) / (K.sum(y_true) + K.sum(p) + 1.0)
            """
        let reports = try ExecuteTests.reports(source, options: options)
        #expect(reports.map(\.loss) == ["floor_dice", "branching_dice", "hard_dice"])
        let floor = reports[0], branching = reports[1], hard = reports[2]
        // TensorFlow's None through Round alone is the engine's zero gradient: LD103 at the round, as the interpreter says.
        #expect(hard.evidence.observation(.balanced, .uniform)?.gradient.state == .zero)
        #expect(hard.findings.first { $0.code == "LD103" }?.site?.line == 20, "\(hard.codes)")
        #expect(!hard.codes.contains("LD102"))
        #expect(floor.origin?.inference.contains("executed in TensorFlow") == true, "\(floor.origin?.inference ?? "")")
        #expect(floor.origin?.inference.contains("adapter tensorflow") == true)
        // TensorFlow registers no gradient for FloorDiv: the tape returns None, and the graph names the op at its line.
        #expect(floor.evidence.observation(.balanced, .uniform)?.gradient.state == .missing)
        let ld101 = try #require(floor.findings.first { $0.code == "LD101" }, "\(floor.codes)")
        #expect(ld101.site?.line == 9)
        #expect(ld101.site?.column == 37, "the column of `//`")
        // The Python `if` traces as model.fit calls the loss: OperatorNotAllowedInGraphError, at the `if`'s line.
        let ld604 = try #require(branching.findings.first { $0.code == "LD604" }, "\(branching.codes)")
        #expect(ld604.site?.line == 13)
        #expect(branching.origin?.inference.contains("tf.function could not trace it") == true)
        #expect(branching.evidence.observation(.balanced, .uniform)?.gradient.state == .healthy)
        #expect(!branching.codes.contains("LD101"))
        // Eagerly the branch runs: the values are the interpreter's, within float32 rounding.
        let interpreted = SourceChecker.prepare(path: try ExecuteTests.file(source))
        let engine = options.runner.run(try #require(interpreted.losses.first { $0.name == "branching_dice" }))
        for probe in branching.evidence.observations {
            let expected = engine.value(probe.mask, probe.prediction)
            #expect(abs(probe.value - expected) <= 1e-5 * max(1, abs(expected)) || (probe.value.isNaN && expected.isNaN), "\(probe.probe)")
        }
    }
}
