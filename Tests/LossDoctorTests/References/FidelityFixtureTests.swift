import Foundation
import Testing
@testable import LossDoctor

/// The real frameworks' numbers for a representative subset of `docs/fidelity.md`, committed by
/// `Scripts/fidelity.py --fixtures Tests/Fixtures/fidelity` (PyTorch 2.15, TensorFlow 2.21 / Keras 3.15): the
/// engine and the interpreter must keep reproducing them without the frameworks installed.
@Suite("fidelity against the frameworks' own numbers")
struct FidelityFixtureTests {
    static let directory = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Fixtures/fidelity")

    struct Case: CustomTestStringConvertible, Sendable {
        let row: String
        let source: String
        let function: String
        let builtin: String?
        let input: InputDomain
        let layout: Layout
        let probe: String
        let value: Double
        /// The gradient's norm, max magnitude and a few elements by flat index; nil when it is missing.
        let norm: Double?
        let maxAbs: Double?
        let elements: [Int: Double]
        var testDescription: String { "\(row) on \(probe)" }
    }

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: directory.appending(path: "cases.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = root["cases"] as? [[String: Any]] else { return [] }
        return cases.compactMap { c in
            let gradient = c["gradient"] as? [String: Any]
            let elements = (gradient?["elements"] as? [String: Double] ?? [:]).reduce(into: [Int: Double]()) { $0[Int($1.key)!] = $1.value }
            guard let row = c["row"] as? String, let source = c["source"] as? String, let function = c["function"] as? String,
                  let input = InputDomain(rawValue: c["input"] as? String ?? ""), let layout = Layout(rawValue: c["layout"] as? String ?? ""),
                  let probe = c["probe"] as? String, let value = c["value"] as? Double else { return nil }
            return Case(row: row, source: source, function: function, builtin: c["builtin"] as? String, input: input, layout: layout,
                        probe: probe, value: value, norm: gradient?["norm"] as? Double, maxAbs: gradient?["max_abs"] as? Double,
                        elements: elements)
        }
    }()

    @Test("the committed subset is there and covers both frameworks")
    func subsetPresent() {
        #expect(Self.cases.count >= 20)
        #expect(Self.cases.contains { $0.row.contains("torch") || $0.row.hasPrefix("F.") })
        #expect(Self.cases.contains { $0.row.hasPrefix("K.") || $0.row.contains("keras") })
    }

    @Test("value and gradient within float32 tolerance of the framework", arguments: cases)
    func matchesFramework(_ test: Case) throws {
        let export = ProbeExport(domain: test.input, layout: test.layout)
        let item = try #require(export.items.first { $0.kind == .probe && $0.id == test.probe })
        var losses: [LossFunction] = []
        if let builtin = test.builtin, let reference = ReferenceLosses.named(builtin) { losses.append(reference.function) }
        let path = Self.directory.appending(path: test.source).path
        let file = SourceChecker.prepare(path: path, options: SourceOptions(function: test.function, input: test.input, layout: test.layout))
        losses.append(try #require(file.losses.first, "\(file.fileErrors.map(\.message))"))
        for loss in losses {
            let evaluation = try loss.evaluate(target: item.target, prediction: item.prediction)
            let value = Double(evaluation.value)
            #expect(abs(value - test.value) <= max(1e-6, 1e-5 * abs(test.value)), "\(loss.name): \(value) vs \(test.value)")
            guard let maxAbs = test.maxAbs, let norm = test.norm else {
                #expect(evaluation.backward.values == nil, "\(loss.name): the framework has no gradient here")
                continue
            }
            let gradient = try #require(evaluation.backward.values, "\(loss.name): gradient missing, the framework has one")
            let tolerance = 1e-4 * maxAbs
            for (index, expected) in test.elements {
                #expect(abs(Double(gradient[index]) - expected) <= tolerance, "\(loss.name): element \(index): \(gradient[index]) vs \(expected)")
            }
            #expect(abs(evaluation.backward.norm - norm) <= 1e-4 * norm, "\(loss.name): norm \(evaluation.backward.norm) vs \(norm)")
        }
    }
}
