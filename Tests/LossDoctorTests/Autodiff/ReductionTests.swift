import Testing
@testable import LossDoctor

/// Reductions with axes, keepdims and negative axes; max/min ties; softmax and log-softmax; argmax.
struct ReductionTests {
    /// x[i, j, k] = 12 i + 4 j + k, shape (2, 3, 4).
    let x = Engine.arange([2, 3, 4])

    @Test("sum over axis -1, axis 1, axes (0, 2), and all axes")
    func sums() throws {
        let last = try x.sum(axes: [-1])
        #expect(last.shape == [2, 3])
        #expect(last.scalars == [6, 22, 38, 54, 70, 86])
        let middle = try x.sum(axes: [1])
        #expect(middle.shape == [2, 4])
        #expect(middle.scalars == [12, 15, 18, 21, 48, 51, 54, 57])
        let outer = try x.sum(axes: [0, 2])
        #expect(outer.shape == [3])
        #expect(outer.scalars == [60, 92, 124])  // 6 + 54, 22 + 70, 38 + 86
        let all = try x.sum()
        #expect(all.shape == [])
        #expect(all.scalars == [276])
    }

    @Test("keepdims keeps reduced axes as 1; negative and duplicate axes normalise")
    func keepDimsAndNegativeAxes() throws {
        #expect(try x.sum(axes: [-1], keepDims: true).shape == [2, 3, 1])
        #expect(try x.sum(axes: [0, -1], keepDims: true).shape == [1, 3, 1])
        #expect(try x.sum(keepDims: true).shape == [1, 1, 1])
        #expect(try x.sum(axes: [2, -1]).scalars == x.sum(axes: [2]).scalars)
        #expect(try x.mean(axes: [-2, 0]).scalars == x.mean(axes: [0, 1]).scalars)
        #expect(throws: EngineError.self) { try x.sum(axes: [3]) }
        #expect(throws: EngineError.self) { try x.sum(axes: [-4]) }
    }

    @Test("mean divides by the reduced count; integer means are float32")
    func means() throws {
        let m = try x.mean(axes: [1])
        #expect(m.scalars == [4, 5, 6, 7, 16, 17, 18, 19])
        #expect(try x.mean().scalars == [11.5])
        #expect(try x.cast(.int32).mean().dtype == .float32)
        let v = Engine.variable([1, 2, 3, 4, 5, 6], [2, 3])
        #expect(try Engine.gradient(v.mean(axes: [1]), v) == [Float](repeating: 1.0 / 3, count: 6))
    }

    @Test("max and min over axes, keepdims, and NaN propagation")
    func maxMin() throws {
        #expect(try x.max(axes: [-1]).scalars == [3, 7, 11, 15, 19, 23])
        #expect(try x.min(axes: [0, 1], keepDims: true).scalars == [0, 1, 2, 3])
        #expect(try x.max().scalars == [23])
        let withNaN = Engine.constant([1, .nan, 3])
        #expect(try withNaN.max().scalars[0].isNaN)
        #expect(try withNaN.min().scalars[0].isNaN)
    }

    // Tie gradients from torch 2.13 (`amax`, `max()`): equal shares, e.g. 1/3 each for three maxima.
    @Test("max ties share the gradient equally (PyTorch amax/max, TensorFlow reduce_max)")
    func maxTies() throws {
        let v = Engine.variable([1, 3, 3, 2, 5, 5, 5, 0], [2, 4])
        #expect(try Engine.gradient(v.max(axes: [1]), v) == [0, 0.5, 0.5, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3, 0])
        let flat = Engine.variable([1, 3, 3, 2])
        #expect(try Engine.gradient(flat.max(), flat) == [0, 0.5, 0.5, 0])
    }

    @Test("min ties share the gradient equally")
    func minTies() throws {
        let v = Engine.variable([4, 1, 1, 2, 0, 0, 7, 0], [2, 4])
        #expect(try Engine.gradient(v.min(axes: [-1], keepDims: true), v) == [0, 0.5, 0.5, 0, 1.0 / 3, 1.0 / 3, 0, 1.0 / 3])
    }

    // Reference values from torch 2.13: softmax([1, 2, 3]), log_softmax([1, 2, 3]) and
    // softmax([[1, 2, 3], [-1, 0, 4]], dim=0).
    @Test("softmax and log-softmax values match PyTorch")
    func softmaxValues() throws {
        let v = Engine.constant([1, 2, 3])
        #expect(Engine.close(try v.softmax().scalars, [0.09003057, 0.24472848, 0.66524094]))
        #expect(Engine.close(try v.logSoftmax().scalars, [-2.40760589, -1.40760589, -0.40760595], tolerance: 1e-6))
        let m = Engine.constant([1, 2, 3, -1, 0, 4], [2, 3])
        #expect(Engine.close(try m.softmax(axis: 0).scalars,
                             [0.88079703, 0.88079703, 0.26894143, 0.11920292, 0.11920292, 0.73105860]))
        #expect(Engine.close(try m.softmax(axis: -1).sum(axes: [-1]).scalars, [1, 1]))
    }

    @Test("softmax and log-softmax are shift-invariant and finite for large logits")
    func softmaxStable() throws {
        let big = Engine.constant([1000, 1001, 1002])
        #expect(Engine.close(try big.softmax().scalars, try Engine.constant([0, 1, 2]).softmax().scalars))
        #expect(Engine.close(try big.logSoftmax().scalars, try Engine.constant([0, 1, 2]).logSoftmax().scalars))
        #expect(try big.logSoftmax().scalars.allSatisfy(\.isFinite))
    }

    @Test("the gradient of sum(softmax) is zero and of sum(log_softmax) is 1 - n softmax")
    func softmaxGradients() throws {
        let v = Engine.variable([0.5, -1, 2, 0.25], [1, 4])
        #expect(try Engine.gradient(v.softmax(), v)!.allSatisfy { Swift.abs($0) < 1e-7 })
        let s = try v.softmax().scalars
        #expect(Engine.close(try Engine.gradient(v.logSoftmax(), v)!, s.map { 1 - 4 * $0 }, tolerance: 1e-6))
    }

    @Test("argmax picks the first maximum along the axis, as int64, and cuts the gradient")
    func argmax() throws {
        let v = Engine.variable([1, 3, 3, 2, 5, 0, 5, 9], [2, 4])
        let last = try v.argmax(axis: -1)
        #expect(last.shape == [2])
        #expect(last.dtype == .int64)
        #expect(last.scalars == [1, 3])
        #expect(try v.argmax(axis: 0).scalars == [1, 0, 1, 1])
        #expect(!last.requiresGrad)
        #expect(last.dependsOnVariable)
    }
}
