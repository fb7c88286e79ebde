#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loops behind the op table: elementwise maps with broadcasting, reductions and their adjoints.
/// Everything is float32 storage; `Op` decides what the numbers mean.
enum Kernels {
    /// Applies `f` to every element.
    @inline(__always)
    static func map(_ x: [Float], _ f: (Float) -> Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { out, count in
            x.withUnsafeBufferPointer { src in
                for i in 0..<src.count { out[i] = f(src[i]) }
            }
            count = x.count
        }
    }

    /// Applies `f` to paired elements of two broadcast operands, producing `shape`.
    @inline(__always)
    static func zip(
        _ a: [Float], _ aShape: [Int], _ b: [Float], _ bShape: [Int], to shape: [Int],
        _ f: (Float, Float) -> Float
    ) -> [Float] {
        let n = elementCount(shape)
        return [Float](unsafeUninitializedCapacity: n) { out, count in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    if pa.count == n && pb.count == n {
                        for i in 0..<n { out[i] = f(pa[i], pb[i]) }
                    } else if pb.count == 1 && pa.count == n {
                        let s = pb[0]
                        for i in 0..<n { out[i] = f(pa[i], s) }
                    } else if pa.count == 1 && pb.count == n {
                        let s = pa[0]
                        for i in 0..<n { out[i] = f(s, pb[i]) }
                    } else {
                        forEachOffset(shape, broadcastStrides(of: aShape, to: shape), 0,
                                      broadcastStrides(of: bShape, to: shape), 0) { i, ia, ib in
                            out[i] = f(pa[ia], pb[ib])
                        }
                    }
                }
            }
            count = n
        }
    }

    /// Copies `x` broadcast to `shape`.
    static func expand(_ x: [Float], from xShape: [Int], to shape: [Int]) -> [Float] {
        if xShape == shape { return x }
        return zip(x, xShape, [0], [], to: shape) { a, _ in a }
    }

    /// Sums a gradient of shape `from` down to `shape` (the adjoint of broadcasting).
    static func sumToShape(_ g: [Float], from gShape: [Int], to shape: [Int]) -> [Float] {
        if gShape == shape { return g }
        let n = elementCount(shape)
        if n == 1 { return [sum(g)] }
        var out = [Float](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { po in
            g.withUnsafeBufferPointer { pg in
                forEachOffset(gShape, contiguousStrides(gShape), 0, broadcastStrides(of: shape, to: gShape), 0) { _, ig, io in
                    po[io] += pg[ig]
                }
            }
        }
        return out
    }

    /// Sum of all elements: eight float lanes per block, blocks accumulated in double (close to the
    /// frameworks' pairwise sums, and deterministic).
    static func sum(_ x: [Float]) -> Float {
        x.withUnsafeBufferPointer { p in Float(sum(p.baseAddress!, count: p.count, stride: 1)) }
    }

    @inline(__always)
    static func sum(_ base: UnsafePointer<Float>, count: Int, stride: Int) -> Double {
        var total = 0.0
        var start = 0
        while start < count {
            let end = Swift.min(start + 4096, count)
            if stride == 1 {
                var lanes = SIMD8<Float>(repeating: 0)
                var i = start
                while i + 8 <= end {
                    lanes += UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self)
                    i += 8
                }
                var block = lanes.sum()
                while i < end { block += base[i]; i += 1 }
                total += Double(block)
            } else {
                var block: Float = 0
                for i in start..<end { block += base[i * stride] }
                total += Double(block)
            }
            start = end
        }
        return total
    }

    /// Reduces `x` over sorted `axes`, returning data shaped like `x` with those axes set to 1.
    static func reduce(
        _ x: [Float], shape: [Int], axes: [Int], initial: Float, _ combine: (Float, Float) -> Float
    ) -> [Float] {
        var keptShape = shape
        for axis in axes { keptShape[axis] = 1 }
        let n = elementCount(keptShape)
        var out = [Float](repeating: initial, count: n)
        out.withUnsafeMutableBufferPointer { po in
            x.withUnsafeBufferPointer { px in
                forEachOffset(shape, contiguousStrides(shape), 0, broadcastStrides(of: keptShape, to: shape), 0) { _, ix, io in
                    po[io] = combine(po[io], px[ix])
                }
            }
        }
        return out
    }

    /// Sums over sorted `axes`; fast when they are all axes or a trailing block.
    static func reduceSum(_ x: [Float], shape: [Int], axes: [Int]) -> [Float] {
        let rank = shape.count
        if axes.count == rank { return [sum(x)] }
        if let first = axes.first, axes == Array(first..<rank) {
            let inner = elementCount(Array(shape[first...]))
            let outer = x.count / Swift.max(inner, 1)
            return x.withUnsafeBufferPointer { p in
                (0..<outer).map { o in Float(sum(p.baseAddress! + o * inner, count: inner, stride: 1)) }
            }
        }
        return reduce(x, shape: shape, axes: axes, initial: 0, +)
    }

    /// Splits a shape around `axis` into (outer, length, inner) extents.
    static func lines(_ shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (elementCount(Array(shape[..<axis])), shape[axis], elementCount(Array(shape[(axis + 1)...])))
    }

    /// Calls `body` with the flat indices of every line along `axis`.
    static func forEachLine(_ shape: [Int], axis: Int, _ body: (_ start: Int, _ stride: Int, _ length: Int) -> Void) {
        let (outer, length, inner) = lines(shape, axis: axis)
        for o in 0..<outer { for i in 0..<inner { body(o * length * inner + i, inner, length) } }
    }
}

/// Float32 helpers with the frameworks' numerically stable forms.
enum Scalar {
    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
    /// log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
    @inline(__always) static func softplus(_ x: Float) -> Float { Swift.max(x, 0) + log1p(exp(-Swift.abs(x))) }
    @inline(__always) static func sign(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? .nan : 0)) }
}
