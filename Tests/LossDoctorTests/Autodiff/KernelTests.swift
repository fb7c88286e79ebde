import Testing
@testable import LossDoctor

/// The fast kernels against plain reference loops, bit for bit: the speed-ups reorder loops, never
/// the float operations each output sees.
struct KernelTests {
    /// Deterministic values in [-1, 1) with a few exact zeros and large magnitudes.
    static func values(_ count: Int, seed: UInt64 = 1) -> [Float] {
        var state = seed
        return (0..<count).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Float(state >> 40) / Float(1 << 24) * 2 - 1
            return i % 97 == 0 ? 0 : (i % 89 == 0 ? unit * 1e6 : unit)
        }
    }

    /// `Kernels.sum` as documented: float32 lanes of eight within blocks of `sumBlock` (256), the rest of a
    /// block in order, blocks added in double.
    static func referenceSum(_ x: [Float]) -> Float {
        var total = 0.0
        var start = 0
        while start < x.count {
            let end = Swift.min(start + Kernels.sumBlock, x.count)
            var lanes = SIMD8<Float>(repeating: 0)
            var i = start
            while i + 8 <= end {
                lanes += SIMD8<Float>(x[i..<(i + 8)])
                i += 8
            }
            var block = lanes.sum()
            while i < end { block += x[i]; i += 1 }
            total += Double(block)
            start = end
        }
        return Float(total)
    }

    @Test("sum has the documented bits at every length (blocks interleaved four at a time)",
          arguments: [0, 1, 7, 8, 4095, 4096, 4097, 16_384, 16_385, 20_000, 65_536 + 13])
    func sumBits(_ count: Int) {
        let x = Self.values(count, seed: UInt64(count) + 3)
        #expect(Kernels.sum(x).bitPattern == Self.referenceSum(x).bitPattern)
    }

    @Test("row sums (four rows at a time) equal each row's own sum", arguments: [1, 3, 8, 4096, 5000])
    func rowSums(_ length: Int) throws {
        for rows in [1, 3, 4, 5, 9] {
            let x = Self.values(rows * length, seed: UInt64(length * 31 + rows))
            let sums = try Tensor(shape: [rows, length], scalars: x).sum(axes: [1]).scalars
            let expected = (0..<rows).map { Self.referenceSum(Array(x[($0 * length)..<(($0 + 1) * length)])) }
            #expect(sums.map(\.bitPattern) == expected.map(\.bitPattern), "rows \(rows), length \(length)")
        }
    }

    /// A reduction as first written: one odometer over the input in row-major order.
    static func referenceReduce(_ x: [Float], shape: [Int], axes: [Int], initial: Float, _ combine: (Float, Float) -> Float) -> [Float] {
        var kept = shape
        for axis in axes { kept[axis] = 1 }
        var out = [Float](repeating: initial, count: kept.reduce(1, *))
        let strides = contiguousStrides(shape), keptStrides = contiguousStrides(kept)
        for i in 0..<x.count {
            var o = 0
            for axis in shape.indices where !axes.contains(axis) { o += (i / strides[axis]) % shape[axis] * keptStrides[axis] }
            out[o] = combine(out[o], x[i])
        }
        return out
    }

    @Test("reductions over inner, outer and mixed axes see each output's inputs in row-major order",
          arguments: [[1, 2], [0], [0, 2], [1], [0, 1, 2, 3], [3], [0, 3]])
    func reductionOrder(_ axes: [Int]) {
        let shape = [3, 17, 19, 2]
        let x = Self.values(shape.reduce(1, *), seed: 11)
        let sum = Kernels.reduce(x, shape: shape, axes: axes, initial: 0) { $0 + $1 }
        #expect(sum.map(\.bitPattern) == Self.referenceReduce(x, shape: shape, axes: axes, initial: 0) { $0 + $1 }.map(\.bitPattern))
        let max = Kernels.reduce(x, shape: shape, axes: axes, initial: -.infinity) { Swift.max($0, $1) }
        #expect(max == Self.referenceReduce(x, shape: shape, axes: axes, initial: -.infinity) { Swift.max($0, $1) })
        // sumToShape is the same reduction, reached through broadcasting.
        var kept = shape
        for axis in axes { kept[axis] = 1 }
        if kept.reduce(1, *) > 1 {
            #expect(Kernels.sumToShape(x, from: shape, to: kept).map(\.bitPattern) == sum.map(\.bitPattern))
        }
    }

    @Test("expand, transpose and slices copy the same elements whatever loop order they use")
    func copies() throws {
        let x = Self.values(4 * 2, seed: 5)
        let expanded = Kernels.expand(x, from: [4, 1, 1, 2], to: [4, 5, 6, 2])
        for i in 0..<expanded.count {
            let (sample, channel) = (i / 60, i % 2)
            #expect(expanded[i] == x[sample * 2 + channel])
        }
        let t = Tensor(shape: [3, 5, 1], scalars: Self.values(15, seed: 6))
        let transposed = try t.transposed([2, 1, 0])
        for a in 0..<3 { for b in 0..<5 { #expect(transposed.scalars[b * 3 + a] == t.scalars[a * 5 + b]) } }
    }

    @Test("allFinite agrees with a per-element check", arguments: [0, 5, 8, 9, 100])
    func allFinite(_ count: Int) {
        var x = Self.values(count)
        #expect(Kernels.allFinite(x))
        for bad in [Float.infinity, -.infinity, .nan] where count > 0 {
            for position in Set([0, count / 2, count - 1]) {
                x[position] = bad
                #expect(!Kernels.allFinite(x))
                x[position] = 1
            }
        }
    }

    @Test("concat of one-channel and wide blocks")
    func concatBlocks() throws {
        for width in [1, 3, 20] {
            let a = Tensor(shape: [7, width], scalars: Self.values(7 * width, seed: 8))
            let b = Tensor(shape: [7, 1], scalars: Self.values(7, seed: 9))
            let c = try Tensor.concat([a, b], axis: 1)
            for row in 0..<7 {
                #expect(Array(c.scalars[(row * (width + 1))..<(row * (width + 1) + width)]) == Array(a.scalars[(row * width)..<((row + 1) * width)]))
                #expect(c.scalars[row * (width + 1) + width] == b.scalars[row])
            }
        }
    }
}
