import Testing
@testable import LossDoctor

/// Ops that move values: slice (with negative steps), pad, concat, stack, transpose, reshape, one-hot.
struct LayoutTests {
    @Test("slice with a negative step reads backwards; its gradient scatters back")
    func sliceNegativeStep() throws {
        let v = Tensor.variable(shape: [10], scalars: (0..<10).map(Float.init))
        let s = try v.slice(starts: [8], steps: [-3], counts: [3])
        #expect(s.scalars == [8, 5, 2])
        #expect(try Engine.gradient(s * Engine.constant([1, 2, 3]), v) == [0, 0, 3, 0, 0, 2, 0, 0, 1, 0])
    }

    @Test("2-D slice: rows reversed, every second column")
    func slice2D() throws {
        let v = Tensor.variable(shape: [3, 4], scalars: (0..<12).map(Float.init))
        let s = try v.slice(starts: [2, 0], steps: [-1, 2], counts: [3, 2])
        #expect(s.shape == [3, 2])
        #expect(s.scalars == [8, 10, 4, 6, 0, 2])
        #expect(Engine.gradient(s, v) == [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
        let empty = try v.slice(starts: [0, 0], steps: [1, 1], counts: [0, 4])
        #expect(empty.shape == [0, 4])
        #expect(throws: EngineError.self) { try v.slice(starts: [0, 3], steps: [1, 1], counts: [1, 2]) }
        #expect(throws: EngineError.self) { try v.slice(starts: [1, 0], steps: [-1, 1], counts: [3, 1]) }
    }

    @Test("pad adds zeros around; the gradient is the interior of the padded gradient")
    func pad() throws {
        let v = Engine.variable([1, 2, 3, 4, 5, 6], [2, 3])
        let p = try v.padded(before: [1, 0], after: [0, 2])
        #expect(p.shape == [3, 5])
        #expect(p.scalars == [0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0])
        let w = Engine.arange([3, 5])
        #expect(try Engine.gradient(p * w, v) == [5, 6, 7, 10, 11, 12])
        #expect(throws: EngineError.self) { try v.padded(before: [-1, 0], after: [0, 0]) }
    }

    @Test("concat along an inner axis interleaves rows; the gradient splits back")
    func concat() throws {
        let a = Engine.variable([1, 2, 3, 4, 5, 6], [2, 3])
        let b = Engine.variable([7, 8, 9, 10], [2, 2])
        let c = try Tensor.concat([a, b], axis: -1)
        #expect(c.shape == [2, 5])
        #expect(c.scalars == [1, 2, 3, 7, 8, 4, 5, 6, 9, 10])
        let grads = try (c * Engine.arange([2, 5])).sum().gradients(withRespectTo: [a, b])
        #expect(grads[0] == [0, 1, 2, 5, 6, 7])
        #expect(grads[1] == [3, 4, 8, 9])
        #expect(throws: EngineError.shapeMismatch(op: "concat", [2, 3], [3, 2])) {
            try Tensor.concat([a, Engine.arange([3, 2])], axis: 1)
        }
        #expect(try Tensor.concat([a, a], axis: 0).scalars == a.scalars + a.scalars)
    }

    @Test("stack adds a new axis at 0 or -1")
    func stack() throws {
        let a = Engine.variable([1, 2, 3]), b = Engine.variable([4, 5, 6])
        let first = try Tensor.stack([a, b])
        #expect(first.shape == [2, 3])
        #expect(first.scalars == [1, 2, 3, 4, 5, 6])
        let last = try Tensor.stack([a, b], axis: -1)
        #expect(last.shape == [3, 2])
        #expect(last.scalars == [1, 4, 2, 5, 3, 6])
        let grads = try (last * Engine.arange([3, 2])).sum().gradients(withRespectTo: [a, b])
        #expect(grads[0] == [0, 2, 4])
        #expect(grads[1] == [1, 3, 5])
        #expect(throws: EngineError.shapeMismatch(op: "stack", [3], [2])) { try Tensor.stack([a, Engine.arange([2])]) }
    }

    @Test("transpose permutes axes: out[k, i, j] = x[i, j, k]; the default reverses them")
    func transpose() throws {
        let x = Engine.arange([2, 3, 4])
        let t = try x.transposed([2, 0, 1])
        #expect(t.shape == [4, 2, 3])
        for k in 0..<4 { for i in 0..<2 { for j in 0..<3 {
            #expect(t.scalars[(k * 2 + i) * 3 + j] == x.scalars[(i * 3 + j) * 4 + k])
        } } }
        let reversed = try x.transposed()
        #expect(reversed.shape == [4, 3, 2])
        #expect(try reversed.transposed().scalars == x.scalars)
        #expect(try x.transposed([-1, 0, 1]).scalars == t.scalars)
        #expect(throws: EngineError.self) { try x.transposed([0, 0, 1]) }
    }

    @Test("reshape infers one -1 extent and refuses impossible shapes")
    func reshape() throws {
        let x = Engine.arange([2, 3, 4])
        #expect(try x.reshaped([-1, 4]).shape == [6, 4])
        #expect(try x.reshaped([2, -1]).shape == [2, 12])
        #expect(try x.reshaped([-1]).scalars == x.scalars)
        #expect(try x.flattened().shape == [24])
        #expect(throws: EngineError.self) { try x.reshaped([-1, -1]) }
        #expect(throws: EngineError.self) { try x.reshaped([5, -1]) }
        #expect(throws: EngineError.self) { try x.reshaped([5, 5]) }
    }

    @Test("one_hot puts a 1 in a new last axis; out-of-range labels give zeros (TensorFlow)")
    func oneHot() throws {
        let labels = Engine.constant([0, 2, 5, -1])
        let h = try labels.oneHot(depth: 3)
        #expect(h.shape == [4, 3])
        #expect(h.scalars == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
        #expect(throws: EngineError.self) { try labels.oneHot(depth: 0) }
    }
}
