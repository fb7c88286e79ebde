import Testing
@testable import LossDoctor

/// NumPy broadcasting forward, and its adjoint (gradients summed back to each input's shape) backward.
struct BroadcastingTests {
    @Test("broadcast shapes follow NumPy", arguments: [
        ([4, 1, 3], [2, 3], [4, 2, 3] as [Int]?),
        ([], [5], [5]),
        ([5], [], [5]),
        ([2, 1], [1, 3], [2, 3]),
        ([3, 1, 1], [1, 4, 1], [3, 4, 1]),
        ([2], [3], nil),
        ([4, 2, 3], [4, 3], nil),
    ])
    func shapes(_ a: [Int], _ b: [Int], _ expected: [Int]?) {
        #expect(broadcastShape(a, b) == expected)
        #expect(broadcastShape(b, a) == expected)
    }

    @Test("(4,1,3) + (2,3) gives (4,2,3) with out[i,j,k] = a[i,0,k] + b[j,k]")
    func forwardThreeByTwo() throws {
        let a = Engine.arange([4, 1, 3])
        let b = try Engine.arange([2, 3]) * 100
        let out = try a + b
        #expect(out.shape == [4, 2, 3])
        var expected: [Float] = []
        for i in 0..<4 { for j in 0..<2 { for k in 0..<3 { expected.append(Float(i * 3 + k) + Float((j * 3 + k) * 100)) } } }
        #expect(out.scalars == expected)
    }

    @Test("(4,1,3) * (2,3) backward: each gradient is summed over the axes its input was broadcast along")
    func backwardThreeByTwo() throws {
        let aValues = (0..<12).map { Float($0) * 0.25 - 1 }, bValues: [Float] = [0.5, -2, 1.5, 3, 0.25, -1]
        let a = Tensor.variable(shape: [4, 1, 3], scalars: aValues)
        let b = Tensor.variable(shape: [2, 3], scalars: bValues)
        let w = Engine.weights(24)
        let loss = try (a * b * Tensor(shape: [4, 2, 3], scalars: w)).sum()
        let grads = loss.gradients(withRespectTo: [a, b])
        var da = [Float](repeating: 0, count: 12), db = [Float](repeating: 0, count: 6)
        for i in 0..<4 { for j in 0..<2 { for k in 0..<3 {
            let wijk = w[(i * 2 + j) * 3 + k]
            da[i * 3 + k] += wijk * bValues[j * 3 + k]
            db[j * 3 + k] += wijk * aValues[i * 3 + k]
        } } }
        #expect(Engine.close(grads[0] ?? [], da, tolerance: 1e-5))
        #expect(Engine.close(grads[1] ?? [], db, tolerance: 1e-5))
    }

    @Test("scalar with tensor: the scalar's gradient is the sum over the tensor")
    func scalarWithTensor() throws {
        let s = Tensor.variable(shape: [], scalars: [2])
        let x = Engine.variable([1, 2, 3, 4, 5, 6], [2, 3])
        let sum = try s * x
        #expect(sum.shape == [2, 3])
        let grads = try sum.sum().gradients(withRespectTo: [s, x])
        #expect(grads[0] == [21])
        #expect(grads[1] == [Float](repeating: 2, count: 6))
        let mean = try (s + x).mean()
        #expect(Engine.gradient(mean, s) == [1])
    }

    @Test("a (2,1) condition selects rows of where(c, a, scalar), and the scalar branch collects the rest")
    func selectBroadcast() throws {
        let a = Engine.variable([1, 2, 3, 4, 5, 6], [2, 3])
        let b = Tensor.variable(shape: [], scalars: [-1])
        let out = try Tensor.select(Engine.constant([0, 1], [2, 1]), a, b)
        #expect(out.scalars == [-1, -1, -1, 4, 5, 6])
        let grads = try out.sum().gradients(withRespectTo: [a, b])
        #expect(grads[0] == [0, 0, 0, 1, 1, 1])
        #expect(grads[1] == [3])
    }

    @Test("sumToShape is the adjoint of expand")
    func sumToShapeAdjoint() {
        let g = (0..<24).map(Float.init)
        // Row r of the (3, 1) result sums g[s, r, k] over s and k: 4 r + k and 12 + 4 r + k.
        let rows: [Float] = [60, 92, 124]
        #expect(Kernels.sumToShape(g, from: [2, 3, 4], to: [3, 1]) == rows)
        #expect(Kernels.sumToShape(g, from: [2, 3, 4], to: []) == [276])
        #expect(Kernels.sumToShape(g, from: [2, 3, 4], to: [2, 3, 4]) == g)
        #expect(Kernels.expand([1, 2, 3], from: [3, 1], to: [2, 3, 2]) == [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3])
        #expect(Kernels.expand([7], from: [], to: [2, 2]) == [7, 7, 7, 7])
    }

    @Test("shapes that do not broadcast throw shapeMismatch naming the op and both shapes")
    func mismatch() {
        let a = Engine.arange([2, 3]), b = Engine.arange([4])
        #expect(throws: EngineError.shapeMismatch(op: "+", [2, 3], [4])) { try a + b }
        #expect(throws: EngineError.shapeMismatch(op: "*", [2, 3], [4])) { try a * b }
        #expect(throws: EngineError.shapeMismatch(op: "maximum", [4], [2, 3])) { try Tensor.maximum(b, a) }
        #expect(EngineError.shapeMismatch(op: "+", [2, 3], [4]).description == "shapes (2, 3) and (4,) do not broadcast in `+`")
    }

    @Test("the element limit stops a broadcast to 10^10 elements before allocating")
    func elementLimit() {
        let a = Tensor(repeating: 1, shape: [100_000, 1]), b = Tensor(repeating: 1, shape: [100_000])
        Tensor.$elementLimit.withValue(1000) {
            #expect(throws: EngineError.tooLarge(elements: 10_000_000_000, limit: 1000)) { try a + b }
            #expect(throws: EngineError.tooLarge(elements: 10_000_000_000, limit: 1000)) { try a.compare(.less, b) }
        }
        // Within the limit the same kind of broadcast works.
        let small = Tensor.$elementLimit.withValue(1000) { try? Tensor(repeating: 1, shape: [10, 1]) + Tensor(repeating: 1, shape: [10]) }
        #expect(small?.shape == [10, 10])
    }

    @Test("dtypes: comparisons give bool, bool arithmetic gives int64, true division gives float32")
    func dtypes() throws {
        let x = Engine.constant([1, 2, 3])
        let mask = try x.compare(.greater, 1.5)
        #expect(mask.dtype == .bool)
        #expect(mask.scalars == [0, 1, 1])
        #expect(try (mask + mask).dtype == .int64)
        let integers = try x.cast(.int32)
        #expect(try (integers / integers).dtype == .float32)
        #expect(try (integers * x).dtype == .float32)
    }
}
