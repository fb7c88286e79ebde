import Testing
@testable import LossDoctor

/// The numbers the fidelity table found off, each pinned at the framework's own value (TensorFlow 2.21 /
/// Keras 3.15, PyTorch 2.15, run 2026-12-04 with the inputs below).
@Suite("framework numerics")
struct FrameworkNumericsTests {
    @Test("tf.nn.sigmoid_cross_entropy_with_logits keeps TensorFlow's digits at saturated logits")
    func tensorFlowLogitsBCE() throws {
        let z = Tensor.variable(shape: [4], scalars: [20, -20, 16, -16])
        let y = Tensor(shape: [4], scalars: [1, 0, 1, 0])
        let loss = try LossMath.tensorFlowBinaryCrossEntropyWithLogits(y, z)
        // tf.nn.sigmoid_cross_entropy_with_logits: [2.0611537e-09 2.0611537e-09 1.1253517e-07 1.1253517e-07]
        for (value, expected) in zip(loss.scalars, [Float(2.0611537e-09), 2.0611537e-09, 1.1253517e-07, 1.1253517e-07]) {
            #expect(abs(value - expected) <= 1e-6 * expected + 1e-15, "\(value) vs \(expected)")
        }
        // Its gradient: [-2.0611537e-09 2.0611537e-09 -1.1253516e-07 1.1253516e-07] (sigmoid(z) - y in float32 is -1.19e-7 at 16).
        let gradient = try #require(try loss.sum().gradient(withRespectTo: z).values)
        for (value, expected) in zip(gradient, [Float(-2.0611537e-09), 2.0611537e-09, -1.1253516e-07, 1.1253516e-07]) {
            #expect(abs(value - expected) <= 1e-5 * abs(expected), "\(value) vs \(expected)")
        }
    }

    @Test("PyTorch's BCE with logits keeps PyTorch's gradient, sigmoid(z) - y")
    func torchLogitsBCE() throws {
        let z = Tensor.variable(shape: [4], scalars: [20, -20, 16, -16])
        let y = Tensor(shape: [4], scalars: [1, 0, 1, 0])
        let gradient = try #require(try LossMath.binaryCrossEntropyWithLogits(y, z).sum().gradient(withRespectTo: z).values)
        // F.binary_cross_entropy_with_logits(...).sum().backward(): [0, 2.0611537e-09, -1.1920929e-07, 1.1253516e-07]
        #expect(gradient[0] == 0)
        #expect(abs(gradient[1] - 2.0611537e-09) <= 1e-15)
        #expect(gradient[2] == -1.1920929e-07)
        #expect(abs(gradient[3] - 1.1253516e-07) <= 1e-13)
    }

    @Test("the legacy Keras backend BCE puts epsilon inside the logs, Keras 3's ops do not")
    func legacyKerasBCE() throws {
        let target = Tensor(shape: [4], scalars: [0, 1, 1, 0])
        let output = Tensor(shape: [4], scalars: [0, 1, 0, 1])
        // tensorflow.keras.backend.binary_crossentropy: [-0, -0, 15.424949, 15.333239]
        let legacy = try LossMath.legacyKerasBinaryCrossEntropy(target, output).scalars
        #expect(legacy[0] == 0 && legacy[1] == 0)
        #expect(abs(legacy[2] - 15.424949) <= 2e-6 * 15.4 && abs(legacy[3] - 15.333239) <= 2e-6 * 15.4)
        // keras.ops.binary_crossentropy: [1.1920929e-07, 1.1920929e-07, 16.118095, 15.942385]
        let ops = try LossMath.kerasBinaryCrossEntropy(target, output).scalars
        #expect(abs(ops[2] - 16.118095) <= 2e-6 * 16.1 && abs(ops[3] - 15.942385) <= 2e-6 * 16.1)
    }

    @Test("sums along any axes are blocked like the sum of everything, not a running float32 sum")
    func blockedAxisSums() throws {
        // tiny/soft: 0.1 background, 0.9 on a 3x3 object per 64x64 image; TensorFlow's ops.mean(p, axis=[1, 2])
        // of sample 0 is 0.101757914, a running float32 sum gave 0.101761684 (3.7e-5 off).
        let geometry = ProbeGeometry()
        var generator = SeededGenerator(seed: 1)
        let mask = geometry.mask(.tiny)
        let p = mask.map { PredictionKind.soft.probability(target: $0, &generator) }
        let x = Tensor(shape: geometry.shape, scalars: p)
        let means = try x.mean(axes: [1, 2]).scalars
        let exact = (0..<4).map { s in p[(s * 4096)..<((s + 1) * 4096)].reduce(0.0) { $0 + Double($1) } / 4096 }
        for (mean, reference) in zip(means, exact) {
            #expect(abs(Double(mean) - reference) <= 1e-6 * reference, "\(mean) vs \(reference)")
        }
        // Non-trailing axes give the same bits as moving them last by hand.
        let moved = try x.transposed([0, 3, 1, 2]).sum(axes: [2, 3]).scalars
        #expect(try x.sum(axes: [1, 2]).scalars == moved)
        let middle = try Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init)).sum(axes: [1]).scalars
        #expect(middle == [12, 15, 18, 21, 48, 51, 54, 57])
    }
}
