import Foundation
import Testing
@testable import LossDoctor

/// What library packages need at import time, before any loss runs: enums of options (MONAI's
/// `LossReduction`), generator methods in modules a loss imports, and import cycles that Python resolves
/// with a partly initialized module. Expected values were printed by CPython 3.11.7.
@Suite("Library modules: enums, generators, import cycles")
struct LibraryModuleTests {
    static let enums = """
        from enum import Enum

        class StrEnum(str, Enum):
            def __str__(self):
                return self.value

        class Reduction(StrEnum):
            NONE = "none"
            MEAN = "mean"
            SUM = "sum"
            ALIAS = "mean"

        class Plain(Enum):
            A = 1
            B = 2
        """

    /// A fresh temporary directory holding an empty `pkg/` folder (removed by the caller).
    /// A fresh temporary directory holding the package `pkg` with these files (paths relative to the directory).
    static func package(_ files: KeyValuePairs<String, String>) throws -> String {
        let directory = FileManager.default.temporaryDirectory.path + "/loss-doctor-package-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory + "/pkg", withIntermediateDirectories: true)
        for (name, text) in files { write(text, to: directory + "/" + name) }
        return directory
    }

    static func write(_ text: String, to path: String) {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    }

    /// A loss of the checked file that reads `scale` from the package `pkg` the import tests write.
    static let lossReadingScale = "import torch\nfrom pkg import scale\n\n\ndef mse_loss(y_pred, y_true):\n    return scale * ((y_pred - y_true) ** 2).mean()\n"

    /// `mse_loss` of `loss`, checked beside the package, is probed without a Python error.
    static func expectProbedCleanly(_ loss: String, file: String, directory: String) throws {
        let checked = CheckPipeline.check(source: loss, file: file, directory: directory)
        let report = try #require(checked.reports.first { $0.loss == "mse_loss" })
        #expect(report.evidence.wasProbed)
        #expect(!report.findings.contains { $0.code == "LD603" }, "\(report.findings.map(\.message))")
    }

    func value(_ expression: String) throws -> Value { try PythonSubsetTests.value(expression, after: Self.enums) }

    @Test("an enum class's members: by value, by name, in definition order, aliases; a str mixin equals its value")
    func members() throws {
        for expression in ["Reduction('mean') is Reduction.MEAN", "Reduction(Reduction.MEAN) is Reduction.MEAN", "Reduction.ALIAS is Reduction.MEAN",
                           "Reduction['MEAN'] is Reduction.MEAN", "Reduction.MEAN == 'mean'", "Reduction.MEAN.value == 'mean'",
                           "Reduction.MEAN.name == 'MEAN'", "isinstance(Reduction.MEAN, str)", "isinstance(Plain.A, Enum)",
                           "'mean' in {r.value for r in Reduction}", "Reduction.MEAN in Reduction", "{Reduction.MEAN: 1}['mean'] == 1",
                           "str(Reduction.MEAN) == 'mean'", "str(Plain.A) == 'Plain.A'", "Plain.A != 1", "Plain(2) is Plain.B"] {
            guard case .bool(true) = try value(expression) else {
                Issue.record("expected True: \(expression)")
                continue
            }
        }
        guard case .list(let values) = try value("[m.value for m in Reduction]") else { Issue.record("not a list"); return }
        #expect(values.items.compactMap { if case .string(let s) = $0 { s } else { nil } } == ["none", "mean", "sum"])
    }

    @Test("an unknown value is Python's ValueError, located")
    func unknownValue() throws {
        #expect(throws: InterpreterError.self) { try value("Reduction('max')") }
        do { _ = try value("Reduction('max')") } catch let error as InterpreterError {
            #expect(error.message == "ValueError: 'max' is not a valid Reduction")
        }
    }

    @Test("a loss configured by an enum, as MONAI's losses are, is analysed")
    func configuredByEnum() throws {
        let source = """
            import torch
            \(Self.enums)

            class SquaredLoss(torch.nn.Module):
                def __init__(self, reduction=Reduction.MEAN):
                    super().__init__()
                    self.reduction = Reduction(reduction).value

                def forward(self, input, target):
                    d = (input - target) ** 2
                    if self.reduction == Reduction.SUM:
                        return d.sum()
                    return d.mean()
            """
        let result = CheckPipeline.check(source: source, file: "losses.py")
        let report = try #require(result.reports.first { $0.loss == "SquaredLoss" })
        #expect(report.evidence.wasProbed)
        #expect(!report.findings.contains { $0.code.hasPrefix("LD6") || $0.code.hasPrefix("LD9") })
    }

    @Test("a generator method parses; only evaluating a yield is LD901, at the yield")
    func generators() throws {
        let source = """
            import torch

            class Store:
                def __iter__(self):
                    for key in ["a", "b"]:
                        yield key
                    yield from []

            def items():
                yield 1

            def mse_loss(y_pred, y_true):
                return ((y_pred - y_true) ** 2).mean()

            def generator_loss(y_pred, y_true):
                return sum(items()) * ((y_pred - y_true) ** 2).mean()
            """
        let result = CheckPipeline.check(source: source, file: "losses.py")
        let healthy = try #require(result.reports.first { $0.loss == "mse_loss" })
        #expect(healthy.evidence.wasProbed && !healthy.findings.contains { $0.code.hasPrefix("LD9") })
        let generator = try #require(result.reports.first { $0.loss == "generator_loss" })
        let finding = try #require(generator.findings.first { $0.code == "LD901" })
        #expect(finding.site.map { "\($0.line):\($0.column)" } == "10:5")
    }

    @Test("an import cycle sees the partly initialized package, as Python's sys.modules does; a name not yet defined is Python's ImportError, reported where the loss reads it")
    func importCycles() throws {
        let directory = try Self.package([
            "pkg/__init__.py": "from .utils import ensure_tuple\nfrom .losses import scale\n",
            "pkg/utils.py": "def ensure_tuple(x):\n    return tuple(x)\n",
            "pkg/losses.py": "from pkg import ensure_tuple\n\nscale = len(ensure_tuple([1, 2]))\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(_ name: String, _ text: String) { Self.write(text, to: directory + "/" + name) }
        let loss = Self.lossReadingScale
        let resolved = CheckPipeline.check(source: loss, file: "main.py", directory: directory)
        let report = try #require(resolved.reports.first { $0.loss == "mse_loss" })
        #expect(report.evidence.wasProbed)
        #expect(!report.findings.contains { $0.code == "LD603" })

        // An imported module's failing statement is reported only where the loss reaches what it failed to define.
        write("pkg/losses.py", "from pkg import later\n\nscale = 2\n")
        let unused = CheckPipeline.check(source: loss, file: "main.py", directory: directory)
        #expect(unused.reports.first { $0.loss == "mse_loss" }?.evidence.wasProbed == true)
        #expect(!unused.reports.flatMap(\.findings).contains { $0.code == "LD603" })
        write("pkg/losses.py", "from pkg import later\n\nscale = later\n")
        let cyclic = CheckPipeline.check(source: loss, file: "main.py", directory: directory)
        let messages = cyclic.reports.flatMap(\.findings).filter { $0.code == "LD603" }.map(\.message)
        #expect(messages.contains { $0.contains("ImportError: cannot import name 'later' from partially initialized module 'pkg' (most likely due to a circular import)") })
    }

    @Test("torch's _Loss.__init__ keeps reduction (MONAI's losses read self.reduction in forward)")
    func lossBaseReduction() throws {
        let source = """
            import torch
            from torch.nn.modules.loss import _Loss

            class SquaredLoss(_Loss):
                def __init__(self, reduction="sum"):
                    super().__init__(reduction=reduction)

                def forward(self, input, target):
                    d = (input - target) ** 2
                    return d.sum() if self.reduction == "sum" else d.mean()
            """
        let interpreter = Interpreter(file: "losses.py")
        #expect(interpreter.run(try parseModule(source)).isEmpty)
        let built = try interpreter.evaluate(try parseExpression("SquaredLoss().reduction"), in: interpreter.globals)
        guard case .string("sum") = built else { Issue.record("reduction is \(built)"); return }
    }

    @Test("an imported module that does not parse fails only the import that needs it, with its own located SyntaxError")
    func unparsableImport() throws {
        let directory = try Self.package([
            "pkg/__init__.py": "from .fft import spectrum\nfrom .core import scale\n",
            "pkg/fft.py": "spectrum = 1j\n",
            "pkg/core.py": "scale = 2\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loss = Self.lossReadingScale
        let unused = CheckPipeline.check(source: loss, file: "main.py", directory: directory)
        #expect(unused.reports.first { $0.loss == "mse_loss" }?.evidence.wasProbed == true)
        #expect(!unused.reports.flatMap(\.findings).contains { $0.code == "LD603" })
        let direct = CheckPipeline.check(source: loss.replacingOccurrences(of: "from pkg import scale", with: "from pkg.fft import spectrum as scale"),
                                         file: "main.py", directory: directory)
        let finding = direct.reports.flatMap(\.findings).first { $0.code == "LD603" }
        #expect(finding?.message.contains("imaginary literals are not supported") == true)
        #expect(finding?.site?.file.hasSuffix("fft.py") == true)
    }

    @Test("a package's submodule reached as an attribute at import time is loaded, as MONAI's `load_submodules` leaves them (`monai.data.MetaTensor`)")
    func submoduleAsAttribute() throws {
        let directory = try Self.package(["pkg/__init__.py": "scale = 2.0\n", "pkg/kinds.py": "class Special:\n    factor = 3.0\n"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loss = "import torch\nimport pkg\n\nSPECIAL = pkg.kinds.Special\n\n\ndef mse_loss(y_pred, y_true):\n    extra = 1.0 if isinstance(y_pred, SPECIAL) else pkg.kinds.Special.factor\n    return extra * ((y_pred - y_true) ** 2).mean()\n"
        try Self.expectProbedCleanly(loss, file: "main.py", directory: directory)
        let missing = CheckPipeline.check(source: loss.replacingOccurrences(of: "pkg.kinds.Special.factor", with: "pkg.absent.factor"), file: "main.py", directory: directory)
        #expect(missing.reports.flatMap(\.findings).contains { $0.message.contains("AttributeError: module has no attribute 'absent'") })
    }

    @Test("a package's __init__ runs before the checked module of the package, as in Python: what it sets up (segmentation-models injects its Keras backend) is there")
    func packageInitializerRunsFirst() throws {
        let directory = try Self.package([
            "pkg/__init__.py": "from . import base\nbase.Holder.scale = 3.0\n",
            "pkg/base.py": "class Holder:\n    scale = None\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loss = "import torch\nfrom .base import Holder\n\n\ndef mse_loss(y_pred, y_true):\n    return Holder.scale * ((y_pred - y_true) ** 2).mean()\n"
        try Self.expectProbedCleanly(loss, file: "losses.py", directory: directory + "/pkg")
        // Without the initializer's set-up, the same module fails where it multiplies None.
        Self.write("", to: directory + "/pkg/__init__.py")
        let bare = CheckPipeline.check(source: loss, file: "losses.py", directory: directory + "/pkg")
        #expect(bare.reports.flatMap(\.findings).contains { $0.code == "LD603" })
    }

    @Test("a finding in a function an imported module defines is located in that module's file, shown beside the checked file")
    func findingsInImportedModulesNameTheirFile() throws {
        let directory = try Self.package([
            "pkg/__init__.py": "",
            "pkg/ops.py": "from keras import backend as K\n\n\ndef total(x):\n    return K.sum(x)\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loss = "from pkg.ops import total\n\n\ndef sse(y_true, y_pred):\n    return total((y_true - y_pred) ** 2)\n"
        let checked = CheckPipeline.check(source: loss, file: directory + "/main.py", directory: directory)
        let removed = try #require(checked.reports.flatMap(\.findings).first { $0.code == "LD601" })
        #expect(removed.site?.file == directory + "/pkg/ops.py")
        #expect(removed.site?.line == 5)
    }

    @Test("a class's own operators (__add__, and __rmul__ of the right operand) combine loss objects, as segmentation-models' `bce + dice` does")
    func userOperators() throws {
        let classes = """
            class Scaled:
                def __init__(self, k):
                    self.k = k
                def __add__(self, other):
                    return Pair(self, other)
                def __rmul__(self, w):
                    return Scaled(self.k * w)
            class Pair:
                def __init__(self, a, b):
                    self.a, self.b = a, b
            """
        guard case .bool(true) = try PythonSubsetTests.value("(Scaled(1.0) + 2 * Scaled(1.5)).b.k == 3.0", after: classes) else {
            Issue.record("Scaled + 2 * Scaled did not go through __add__ and __rmul__")
            return
        }
    }

    @Test("--function on a (*args, **kwargs) forwarder probes what it forwards to (toolbelt's sigmoid_focal_loss); one that builds a loss when called bare stays a factory (toolbelt's FocalLoss)")
    func variadicForwarders() throws {
        let source = """
            import torch


            def squared_error(output, target):
                return ((torch.sigmoid(output) - target) ** 2).mean()


            class SquaredError(torch.nn.Module):
                def forward(self, output, target):
                    return squared_error(output, target)


            def forwarder(*input, **kwargs):
                return squared_error(*input, **kwargs)


            def factory(*input, **kwargs):
                return SquaredError(*input, **kwargs)
            """
        for (name, shown) in [("forwarder", "forwarder"), ("factory", "factory()")] {
            var options = SourceOptions()
            options.function = name
            let checked = CheckPipeline.check(source: source, file: "losses.py", options: options)
            let report = try #require(checked.reports.first, "\(name)")
            #expect(report.loss == shown)
            #expect(report.evidence.wasProbed, "\(name): \(report.findings.map(\.message))")
        }
    }
}
