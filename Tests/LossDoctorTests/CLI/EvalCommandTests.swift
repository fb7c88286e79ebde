import Foundation
import Testing
@testable import LossDoctor

/// `loss-doctor eval` and `loss-doctor probes export`: the numbers of a check, reproducible from files.
@Suite("eval and probes export")
struct EvalCommandTests {
    /// A fresh scratch directory under the system's temporary directory.
    static func scratch(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appending(path: "loss-doctor-tests-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ array: NPYArray, _ path: String) { #expect(array.write(to: path)) }

    @Test("eval of a built-in gives the value and gradient its probe gives, and writes the gradient")
    func builtinMatchesProbe() throws {
        let dir = try Self.scratch("eval")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let export = ProbeExport()
        let item = try #require(export.items.first { $0.id == "imbalanced/random" })
        Self.write(item.target, dir + "/t.npy")
        Self.write(item.prediction, dir + "/p.npy")
        let result = CLI.run(["eval", "--loss", "soft-dice", "--target", dir + "/t.npy", "--pred", dir + "/p.npy",
                              "--grad", dir + "/g.npy", "--format", "json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let observation = try #require(CLI.report("soft-dice", options: CheckOptions(simulate: false)).evidence.observation(.imbalanced, .random))
        #expect((json["value"] as? Double).map(Float.init) == observation.value)
        let gradient = try #require(json["gradient"] as? [String: Any])
        #expect(gradient["state"] as? String == "healthy")
        #expect(abs((gradient["norm"] as? Double ?? 0) - observation.gradient.norm) <= 1e-6 * observation.gradient.norm)
        let written = try NPYArray(contentsOf: dir + "/g.npy")
        #expect(written.shape == item.prediction.shape)
        let norm = written.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - observation.gradient.norm) <= 1e-6 * observation.gradient.norm)
    }

    @Test("eval of the seed's Dice says the gradient is missing, and writes no gradient file")
    func missingGradient() throws {
        let dir = try Self.scratch("eval-missing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let item = try #require(ProbeExport().items.first { $0.id == "balanced/uniform" })
        Self.write(item.target, dir + "/t.npy")
        Self.write(item.prediction, dir + "/p.npy")
        let result = CLI.run(["eval", "--loss", "dice-floor", "--target", dir + "/t.npy", "--pred", dir + "/p.npy", "--grad", dir + "/g.npy"])
        #expect(result.exitCode == 0)
        #expect(result.stdout == """
            loss: dice-floor (built-in; probabilities, NHWC)
            value: 1.0
            output shape: ()
            gradient: missing (no differentiable path from the prediction to the loss)
            no gradient written to \(dir)/g.npy: the gradient is missing

            """)
        #expect(!FileManager.default.fileExists(atPath: dir + "/g.npy"))
    }

    @Test("eval of a file's loss, chosen with --function, on float64 and bool arrays")
    func fileLoss() throws {
        let dir = try Self.scratch("eval-file")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            import torch

            def helper(pred, target):
                return ((pred - target) ** 2).mean()

            def l1(pred, target):
                return (pred - target).abs().sum()
            """.write(toFile: dir + "/losses.py", atomically: true, encoding: .utf8)
        Self.write(NPYArray(shape: [1, 1, 2, 2], elementType: .bool, values: [1, 0, 0, 1]), dir + "/t.npy")
        Self.write(NPYArray(shape: [1, 1, 2, 2], elementType: .float64, values: [0.5, 0.25, 0, 1]), dir + "/p.npy")
        let ambiguous = CLI.run(["eval", dir + "/losses.py", "--target", dir + "/t.npy", "--pred", dir + "/p.npy"])
        #expect(ambiguous.exitCode == 2)
        #expect(ambiguous.stderr.contains("defines 2 losses (helper, l1): choose one with --function"))
        let result = CLI.run(["eval", dir + "/losses.py", "--function", "l1", "--target", dir + "/t.npy", "--pred", dir + "/p.npy",
                              "--grad", dir + "/g.npy"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("value: 0.75\n"))
        #expect(try NPYArray(contentsOf: dir + "/g.npy").floats == [-1, 1, 0, 0])
    }

    @Test("eval refuses bad input with exit status 2 and says why", arguments: [
        (["--loss", "soft-dice", "--target", "T", "--pred", "FORTRAN"], "cannot read the prediction 'DIR/fortran.npy': the array is stored in Fortran order"),
        (["--loss", "soft-dice", "--target", "T", "--pred", "OBJECT"], "cannot read the prediction 'DIR/object.npy': the array holds Python objects"),
        (["--loss", "soft-dice", "--target", "T", "--pred", "TRUNCATED"], "cannot read the prediction 'DIR/truncated.npy': the file is truncated"),
        (["--loss", "soft-dice", "--target", "T", "--pred", "WRONG"], "the loss raised"),
        (["--loss", "soft-dice", "--target", "T", "--pred", "DIR/none.npy"], "the prediction file 'DIR/none.npy' does not exist"),
        (["--loss", "soft-dice", "--pred", "T"], "missing '--target <file>'"),
        (["--loss", "bce-logits", "--input", "probs", "--target", "T", "--pred", "T"], "'bce-logits' takes logits, not probabilities"),
        (["--loss", "soft-dise", "--target", "T", "--pred", "T"], "unknown loss 'soft-dise'"),
    ])
    func badInput(_ arguments: [String], _ message: String) throws {
        let dir = try Self.scratch("eval-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Self.write(NPYArray(shape: [1, 4, 4, 1], values: [Double](repeating: 1, count: 16)), dir + "/t.npy")
        Self.write(NPYArray(shape: [1, 3, 3, 1], values: [Double](repeating: 0.5, count: 9)), dir + "/wrong.npy")
        let good = NPYArray(shape: [1, 4, 4, 1], values: [Double](repeating: 0.5, count: 16)).bytes
        FileManager.default.createFile(atPath: dir + "/truncated.npy", contents: Data(good.dropLast(3)))
        FileManager.default.createFile(atPath: dir + "/fortran.npy", contents: Data(NPYTests.file(
            "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 4, 4, 1), }", NPYTests.floats([Float](repeating: 0.5, count: 16)))))
        FileManager.default.createFile(atPath: dir + "/object.npy", contents: Data(NPYTests.file(
            "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", [0x80, 0x04, 0x4e, 0x2e])))
        let substituted = arguments.map {
            $0.replacingOccurrences(of: "DIR", with: dir).replacingOccurrences(of: "FORTRAN", with: dir + "/fortran.npy")
                .replacingOccurrences(of: "OBJECT", with: dir + "/object.npy").replacingOccurrences(of: "TRUNCATED", with: dir + "/truncated.npy")
                .replacingOccurrences(of: "WRONG", with: dir + "/wrong.npy")
        }.map { $0 == "T" ? dir + "/t.npy" : $0 }
        let result = CLI.run(["eval"] + substituted)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(message.replacingOccurrences(of: "DIR", with: dir)), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("probes export writes every probe by its report id, and eval of each reproduces the check")
    func exportReproducesCheck() throws {
        let dir = try Self.scratch("export")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = CLI.run(["probes", "export", dir, "--input", "logits", "--layout", "NCHW"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let index = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(filePath: dir + "/index.json"))) as? [String: Any])
        #expect(index["format"] as? String == "loss-doctor-probes")
        #expect((index["geometry"] as? [String: Any])?["seed"] as? Int == 20_201_001)
        let set = try #require((index["target_sets"] as? [[String: Any]])?.first)
        let probes = try #require(set["probes"] as? [[String: Any]])
        #expect(probes.count == MaskKind.allCases.count * PredictionKind.allCases.count)

        // bce-logits takes logits in NHWC; the torch-style loss below takes NCHW logits: every exported
        // probe evaluated with `eval` gives exactly the value its check reports.
        try """
            import torch.nn.functional as F

            def bce(pred, target):
                return F.binary_cross_entropy_with_logits(pred, target)
            """.write(toFile: dir + "/bce.py", atomically: true, encoding: .utf8)
        let reference = try #require(ReferenceLosses.named("bce-logits"))
        let evidence = ProbeRunner().run(reference.function)
        for probe in probes where ["balanced/uniform", "tiny/confidently-wrong", "empty/perfect"].contains(probe["id"] as? String) {
            let prediction = try #require((probe["prediction_file"] as? [String: Any])?["file"] as? String)
            let target = try #require(probe["target_file"] as? String)
            let run = CLI.run(["eval", dir + "/bce.py", "--target", dir + "/" + target, "--pred", dir + "/" + prediction, "--format", "json"])
            #expect(run.exitCode == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let id = try #require(probe["id"] as? String)
            let expected = try #require(evidence.observations.first { $0.probe.description == id }).value
            let value = try #require(json["value"] as? Double)
            #expect(abs(Float(value) - expected) <= 1e-6 * max(1, abs(expected)), "\(id)")
        }
    }

    @Test("the exported sweeps and scale probes give the values of the check's evidence")
    func exportMatchesEvidence() throws {
        let loss = try #require(ReferenceLosses.named("soft-dice")).function
        let evidence = ProbeRunner().run(loss)
        let export = ProbeExport()
        for sweep in evidence.sweeps {
            let steps = export.items.filter { $0.kind == .sweep && $0.id == sweep.id }
            #expect(steps.count == sweep.values.count)
            for (item, value) in zip(steps, sweep.values) {
                #expect(try loss.evaluate(target: item.target, prediction: item.prediction).value == value, "\(sweep.id) step \(item.step ?? -1)")
            }
        }
        let scale = try #require(evidence.scale)
        let doubled = try #require(export.items.first { $0.id == "imbalanced/random#doubled-batch" })
        #expect(try loss.evaluate(target: doubled.target, prediction: doubled.prediction).value == scale.doubledBatch.value)
        let upsampled = try #require(export.items.first { $0.id == "imbalanced/random#upsampled" })
        #expect(try loss.evaluate(target: upsampled.target, prediction: upsampled.prediction).value == scale.upsampled.value)
        let samples = export.items.filter { $0.id.hasPrefix("mixed/soft#sample-") }
        #expect(try samples.map { try loss.evaluate(target: $0.target, prediction: $0.prediction).value } == scale.perSampleValues)
    }

    /// A loss evaluated on exported arrays, class indices as the int64 tensor the check gives the loss.
    static func value(_ loss: LossFunction, _ item: ProbeExport.Item) throws -> Float {
        let target = Tensor(shape: item.target.shape, scalars: item.target.floats, dtype: item.target.elementType == .int64 ? .int64 : .float32)
        let prediction = Tensor.variable(shape: item.prediction.shape, scalars: item.prediction.floats)
        let raw = try loss.evaluate(target, prediction)
        return try (raw.count == 1 ? raw : raw.mean()).scalars[0]
    }

    @Test("a multi-class format's export gives the check's values, per-class probes included", arguments: ["softmax-dice", "index-dice-ignore-leak"])
    func exportMultiClass(_ name: String) throws {
        let loss = try #require(ReferenceLosses.named(name)).function
        #expect(loss.target.isMultiClass)
        let evidence = ProbeRunner().run(loss)
        let export = ProbeExport(domain: loss.domain, layout: loss.layout, format: loss.target)
        let set = ProbeExport.setName(loss.target)
        #expect(export.items.allSatisfy { $0.targetSet == set && $0.targetFile.hasPrefix(set + "/") })
        for observation in evidence.observations {
            let item = try #require(export.items.first { $0.kind == .probe && $0.id == observation.probe.description })
            #expect(item.prediction.shape.contains(loss.target.classes))
            #expect(try Self.value(loss, item) == observation.value, "\(observation.probe)")
        }
        for sweep in evidence.sweeps {
            let steps = export.items.filter { $0.kind == .sweep && $0.id == sweep.id }
            #expect(try steps.map { try Self.value(loss, $0) } == sweep.values, "\(sweep.id)")
        }
        let scale = try #require(evidence.scale)
        let upsampled = try #require(export.items.first { $0.id == "imbalanced/random#upsampled" })
        #expect(try Self.value(loss, upsampled) == scale.upsampled.value)
        let samples = export.items.filter { $0.id.hasPrefix("mixed/soft#sample-") }
        #expect(try samples.map { try Self.value(loss, $0) } == scale.perSampleValues)
        let classes = try #require(evidence.classes)
        let missing = export.items.filter { $0.kind == .perClass && $0.id.contains("#without-class-") }
        #expect(try missing.map { try Self.value(loss, $0) } == classes.missingClass)
        if let change = classes.ignoredChange {
            let wrong = try #require(export.items.first { $0.id == "imbalanced/perfect#ignored-wrong" })
            #expect(abs(try Self.value(loss, wrong) - classes.perfect) == change)
        }
    }

    @Test("probes export refuses a path that is a file, and an unknown action")
    func exportErrors() throws {
        let dir = try Self.scratch("export-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/file", contents: Data())
        let onFile = CLI.run(["probes", "export", dir + "/file"])
        #expect(onFile.exitCode == 2)
        #expect(onFile.stderr.contains("exists and is not a directory"))
        let unknown = CLI.run(["probes", "exprot", dir])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("Did you mean 'export'?"))
    }

    @Test("a multi-class check's JSON names an export command that writes its target set, and every probe's arrays are in it", arguments: ["ce-dice", "index-dice-ignore"])
    func multiClassExportCommand(_ name: String) throws {
        let report = CLI.run(["check", "--loss", name, "--format", "json", "--no-simulate"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let loss = try #require((json["losses"] as? [[String: Any]])?.first)
        let probeSet = try #require(loss["probe_set"] as? [String: Any])
        let set = try #require(probeSet["target_format"] as? String)
        #expect(set != "binary")
        let command = try #require(probeSet["export"] as? String).split(separator: " ").map(String.init)
        #expect(Array(command.prefix(4)) == ["loss-doctor", "probes", "export", "DIR"])
        let dir = try Self.scratch("export-multi")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = CLI.run(["probes", "export", dir] + command.dropFirst(4))
        #expect(result.exitCode == 0, "\(result.stderr)")
        let probes = try #require(loss["probes"] as? [[String: Any]])
        #expect(!probes.isEmpty)
        for probe in probes {
            let arrays = try #require(probe["arrays"] as? [String: String])
            for file in [arrays["target"], arrays["prediction"]] {
                let file = try #require(file)
                #expect(file.hasPrefix(set + "/") && FileManager.default.fileExists(atPath: dir + "/" + file), "\(file)")
            }
        }
    }
}
