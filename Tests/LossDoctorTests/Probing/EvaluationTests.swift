import Foundation
import Testing
@testable import LossDoctor

/// `LossFunction.evaluate(target:prediction:)`: the value and gradient `loss-doctor eval` prints, as a library call.
@Suite("Evaluation")
struct EvaluationTests {
    @Test("the built-in BCE on a known pair: its value by hand, its gradient in closed form")
    func bceKnownPair() throws {
        let bce = try #require(ReferenceLosses.named("bce")).function
        let y: [Float] = [1, 0, 1, 0]
        let p: [Float] = [0.8, 0.3, 0.6, 0.1]
        let evaluation = try bce.evaluate(target: Tensor(shape: [1, 2, 2, 1], scalars: y),
                                          prediction: Tensor(shape: [1, 2, 2, 1], scalars: p))
        // -mean(y log p + (1 - y) log(1 - p)), in double.
        let expected = -zip(y, p).map { y, p in Double(y) * log(Double(p)) + Double(1 - y) * log(Double(1 - p)) }.reduce(0, +) / 4
        #expect(abs(Double(evaluation.value) - expected) < 1e-6)
        #expect(evaluation.gradientState == .healthy)
        let gradient = try #require(evaluation.gradient)
        #expect(gradient.shape == [1, 2, 2, 1])
        // d/dp of the mean: (p - y) / (p (1 - p)) / n.
        for (g, (y, p)) in zip(gradient.scalars, zip(y, p)) {
            let closedForm = Double(p - y) / (Double(p) * Double(1 - p)) / 4
            #expect(abs(Double(g) - closedForm) < 1e-5, "p=\(p) y=\(y): \(g) vs \(closedForm)")
        }
        #expect(abs(evaluation.backward.norm - sqrt(gradient.scalars.map { Double($0 * $0) }.reduce(0, +))) < 1e-6)
    }

    @Test("a per-sample loss is averaged, its shape kept; its gradient matches central differences")
    func perSampleLossAndFiniteDifferences() throws {
        // A smooth loss returning one value per sample (shape [2]): sum over the sample of (p - y)^2 * p.
        let loss = LossFunction(name: "weighted") { yTrue, yPred in
            let error = try yPred - yTrue
            return try (error * error * yPred).sum(axes: [1])
        }
        let target = Tensor(shape: [2, 3], scalars: [1, 0, 1, 0, 1, 0])
        let values: [Float] = [0.2, 0.7, 0.9, 0.4, 0.5, 0.1]
        let evaluation = try loss.evaluate(target: target, prediction: Tensor(shape: [2, 3], scalars: values))
        #expect(evaluation.outputShape == [2])
        let gradient = try #require(evaluation.gradient).scalars
        let step: Float = 1e-2
        for index in values.indices {
            var up = values, down = values
            up[index] += step
            down[index] -= step
            let difference = try (loss.evaluate(target: target, prediction: Tensor(shape: [2, 3], scalars: up)).value
                - loss.evaluate(target: target, prediction: Tensor(shape: [2, 3], scalars: down)).value) / (2 * step)
            #expect(abs(gradient[index] - difference) < 1e-3, "component \(index): \(gradient[index]) vs \(difference)")
        }
    }

    @Test("a loss that ignores the prediction has no gradient; the doc comment's example holds")
    func missingGradientAndDocExample() throws {
        let constant = LossFunction(name: "constant") { yTrue, _ in try yTrue.mean() }
        let flat = try constant.evaluate(target: Tensor(shape: [2], scalars: [0, 1]), prediction: Tensor(shape: [2], scalars: [0.5, 0.5]))
        #expect(flat.value == 0.5 && flat.gradient == nil && flat.gradientState == .missing)

        // `Evaluation`'s doc comment, verbatim.
        let mse = LossFunction(name: "mse") { yTrue, yPred in try ((yPred - yTrue) * (yPred - yTrue)).mean() }
        let evaluation = try mse.evaluate(target: Tensor(shape: [2], scalars: [0, 1]),
                                          prediction: Tensor(shape: [2], scalars: [0.5, 0.5]))
        #expect(evaluation.value == 0.25)
        #expect(evaluation.gradient?.scalars == [0.5, -0.5])
    }

    @Test("`loss-doctor eval` prints what `evaluate` returns")
    func cliPrintsTheEvaluation() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "evaluation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let y: [Double] = [1, 0, 1, 0], p: [Double] = [0.8, 0.3, 0.6, 0.1]
        let targetPath = directory.appending(path: "y.npy").path, predictionPath = directory.appending(path: "p.npy").path
        #expect(NPYArray(shape: [1, 2, 2, 1], elementType: .float32, values: y).write(to: targetPath))
        #expect(NPYArray(shape: [1, 2, 2, 1], elementType: .float32, values: p).write(to: predictionPath))
        let evaluation = try #require(ReferenceLosses.named("bce")).function
            .evaluate(target: Tensor(shape: [1, 2, 2, 1], scalars: y.map(Float.init)), prediction: Tensor(shape: [1, 2, 2, 1], scalars: p.map(Float.init)))
        let printed = CLI.run(["eval", "--loss", "bce", "--target", targetPath, "--pred", predictionPath]).stdout
        #expect(printed.contains("value: \(evaluation.value)\n"))
        #expect(printed.contains("gradient: healthy, norm \(Float(evaluation.backward.norm))"))
    }
}
