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
        // A zeroed array written through its buffer, not `init(unsafeUninitializedCapacity:)`: that
        // initializer is not inlined, so `f` inside it was an indirect call per element (a 1,000-iteration
        // loop of `((p - t) ** 2).mean()`: 20 s before, 12 s after).
        var result = [Float](repeating: 0, count: x.count)
        result.withUnsafeMutableBufferPointer { out in
            x.withUnsafeBufferPointer { src in
                for i in 0..<src.count { out[i] = f(src[i]) }
            }
        }
        return result
    }

    /// Applies `f` to paired elements of two broadcast operands, producing `shape`.
    @inline(__always)
    static func zip(
        _ a: [Float], _ aShape: [Int], _ b: [Float], _ bShape: [Int], to shape: [Int],
        _ f: (Float, Float) -> Float
    ) -> [Float] {
        let n = elementCount(shape)
        var result = [Float](repeating: 0, count: n)  // as in `map`: keeps `f` inlined
        result.withUnsafeMutableBufferPointer { out in
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
        }
        return result
    }

    /// Copies `x` broadcast to `shape`.
    static func expand(_ x: [Float], from xShape: [Int], to shape: [Int]) -> [Float] {
        if xShape == shape { return x }
        let n = elementCount(shape)
        if x.count == n { return x }  // only leading axes of extent 1 differ: the same row-major data
        if x.count == 1 { return [Float](repeating: x[0], count: n) }
        return gather(x, shape: shape, strides: broadcastStrides(of: xShape, to: shape), base: 0)
    }

    /// `x[i] += y[i]` in place (the frameworks' gradient accumulation; `x` is copied first if shared).
    static func add(_ y: [Float], into x: inout [Float]) {
        precondition(x.count == y.count, "accumulating gradients of different sizes")
        x.withUnsafeMutableBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                for i in 0..<px.count { px[i] += py[i] }
            }
        }
    }

    /// `x[i] += value` in place.
    static func add(_ value: Float, into x: inout [Float]) {
        x.withUnsafeMutableBufferPointer { px in
            for i in 0..<px.count { px[i] += value }
        }
    }

    /// Whether every element is finite. `v * 0` is 0 for finite `v` and NaN for ±inf and NaN, so one
    /// vectorised pass with no branch per element decides it.
    static func allFinite(_ x: [Float]) -> Bool {
        x.withUnsafeBufferPointer { p in
            var lanes = SIMD8<Float>(repeating: 0)
            var i = 0
            while i + 8 <= p.count {
                lanes += UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self) * 0
                i += 8
            }
            var tail: Float = 0
            while i < p.count { tail += p[i] * 0; i += 1 }
            return lanes.sum() == 0 && tail == 0
        }
    }

    /// Reads the strided view (`shape`, `strides`, `base`) of `x` into a new row-major array.
    static func gather(_ x: [Float], shape: [Int], strides: [Int], base: Int) -> [Float] {
        let n = elementCount(shape)
        let (order, stridesX, stridesOut) = copyOrder(shape, strides, contiguousStrides(shape))
        return [Float](unsafeUninitializedCapacity: n) { out, count in
            x.withUnsafeBufferPointer { px in
                forEachOffset(order, stridesX, base, stridesOut, 0) { _, source, target in out[target] = px[source] }
            }
            count = n
        }
    }

    /// Writes row-major `x` (of `shape`) into the strided view (`strides`, `base`) of `count` zeros;
    /// with `accumulate`, adds instead of assigning (positions a view visits twice add up).
    static func scatter(_ x: [Float], shape: [Int], into count: Int, strides: [Int], base: Int, accumulate: Bool) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { po in
            x.withUnsafeBufferPointer { px in
                if accumulate {  // in row-major order: a target visited twice adds in the same order
                    forEachOffset(shape, strides, base, contiguousStrides(shape), 0) { _, target, source in po[target] += px[source] }
                } else {
                    let (order, stridesOut, stridesX) = copyOrder(shape, strides, contiguousStrides(shape))
                    forEachOffset(order, stridesOut, base, stridesX, 0) { _, target, source in po[target] = px[source] }
                }
            }
        }
        return out
    }

    /// Copies `rows` rows of `length` elements from `source` (rows `sourceStride` apart) to `target`
    /// (rows `targetStride` apart), uninitialised or not: the rows of a concat.
    static func copyRows(
        from source: UnsafePointer<Float>, sourceStride: Int, to target: UnsafeMutablePointer<Float>, targetStride: Int,
        rows: Int, length: Int
    ) {
        if length >= 16 {
            for r in 0..<rows { (target + r * targetStride).initialize(from: source + r * sourceStride, count: length) }
        } else {  // short rows (often one channel): strided loops down the rows, not a call per row
            for j in 0..<length {
                let (s, t) = (source + j, target + j)
                for r in 0..<rows { (t + r * targetStride).initialize(to: s[r * sourceStride]) }
            }
        }
    }

    /// `condition[i] != 0 ? a[i] : b[i]` over arrays of one size.
    static func select(_ condition: [Float], _ a: [Float], _ b: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: condition.count) { out, count in
            condition.withUnsafeBufferPointer { pc in
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        for i in 0..<pc.count { out[i] = pc[i] != 0 ? pa[i] : pb[i] }
                    }
                }
            }
            count = condition.count
        }
    }

    /// Sums a gradient of shape `from` down to `shape` (the adjoint of broadcasting).
    static func sumToShape(_ g: [Float], from gShape: [Int], to shape: [Int]) -> [Float] {
        if gShape == shape { return g }
        let n = elementCount(shape)
        if n == 1 { return [sum(g)] }
        var out = [Float](repeating: 0, count: n)
        accumulate(g, shape: gShape, strides: contiguousStrides(gShape), into: &out, strides: broadcastStrides(of: shape, to: gShape)) { $0 + $1 }
        return out
    }

    /// Sum of all elements: eight float lanes per block of 256, blocks accumulated in double (close to
    /// the frameworks' pairwise sums, and deterministic).
    static func sum(_ x: [Float]) -> Float {
        x.withUnsafeBufferPointer { p in Float(sum(p.baseAddress!, count: p.count, stride: 1)) }
    }

    /// Elements per block of `sum`: each block is summed in float32 (eight lanes of 32), the blocks in double.
    /// At 4096 a lane ran 512 float32 additions, 4e-6 relative off on the mean of a 64x64 image, where the
    /// frameworks' pairwise sums are within 1e-6; at 256 it is within 1e-7.
    static let sumBlock = 256

    /// The float32 sum of one block: eight lanes over whole groups of eight, then the rest in order.
    @inline(__always)
    static func blockSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= n {
            lanes += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var block = lanes.sum()
        while i < n { block += p[i]; i += 1 }
        return block
    }

    /// `blockSum` of four blocks of one length at once: the same bits, four independent chains of
    /// additions instead of one (a single chain waits on the adder's latency).
    @inline(__always)
    static func blockSums(
        _ p0: UnsafePointer<Float>, _ p1: UnsafePointer<Float>, _ p2: UnsafePointer<Float>, _ p3: UnsafePointer<Float>, _ n: Int
    ) -> (Float, Float, Float, Float) {
        var l0 = SIMD8<Float>(repeating: 0), l1 = l0, l2 = l0, l3 = l0
        var i = 0
        while i + 8 <= n {
            l0 += UnsafeRawPointer(p0 + i).loadUnaligned(as: SIMD8<Float>.self)
            l1 += UnsafeRawPointer(p1 + i).loadUnaligned(as: SIMD8<Float>.self)
            l2 += UnsafeRawPointer(p2 + i).loadUnaligned(as: SIMD8<Float>.self)
            l3 += UnsafeRawPointer(p3 + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var (b0, b1, b2, b3) = (l0.sum(), l1.sum(), l2.sum(), l3.sum())
        while i < n { b0 += p0[i]; b1 += p1[i]; b2 += p2[i]; b3 += p3[i]; i += 1 }
        return (b0, b1, b2, b3)
    }

    /// The sum of `count` elements `stride` apart, as `sum` defines it.
    @inline(__always)
    static func sum(_ base: UnsafePointer<Float>, count: Int, stride: Int) -> Double {
        let block = sumBlock
        var total = 0.0
        var start = 0
        if stride == 1 {
            while start + 4 * block <= count {
                let p = base + start
                let (b0, b1, b2, b3) = blockSums(p, p + block, p + 2 * block, p + 3 * block, block)
                total += Double(b0); total += Double(b1); total += Double(b2); total += Double(b3)
                start += 4 * block
            }
        }
        while start < count {
            let end = Swift.min(start + block, count)
            if stride == 1 {
                total += Double(blockSum(base + start, end - start))
            } else {
                var partial: Float = 0
                for i in start..<end { partial += base[i * stride] }
                total += Double(partial)
            }
            start = end
        }
        return total
    }

    /// `sum` of each of `rows` contiguous rows of `length` elements, four rows at a time.
    static func rowSums(_ base: UnsafePointer<Float>, rows: Int, length: Int) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(rows)
        var row = 0
        while row + 4 <= rows {
            let p = base + row * length
            var totals = (0.0, 0.0, 0.0, 0.0)
            var start = 0
            while start < length {
                let n = Swift.min(sumBlock, length - start)
                let (b0, b1, b2, b3) = blockSums(p + start, p + length + start, p + 2 * length + start, p + 3 * length + start, n)
                totals.0 += Double(b0); totals.1 += Double(b1); totals.2 += Double(b2); totals.3 += Double(b3)
                start += n
            }
            out += [Float(totals.0), Float(totals.1), Float(totals.2), Float(totals.3)]
            row += 4
        }
        while row < rows {
            out.append(Float(sum(base + row * length, count: length, stride: 1)))
            row += 1
        }
        return out
    }

    /// Reduces `x` over sorted `axes`, returning data shaped like `x` with those axes set to 1.
    static func reduce(
        _ x: [Float], shape: [Int], axes: [Int], initial: Float, _ combine: (Float, Float) -> Float
    ) -> [Float] {
        var keptShape = shape
        for axis in axes { keptShape[axis] = 1 }
        let n = elementCount(keptShape)
        var out = [Float](repeating: initial, count: n)
        accumulate(x, shape: shape, strides: contiguousStrides(shape), into: &out, strides: broadcastStrides(of: keptShape, to: shape), combine)
        return out
    }

    /// `out[o] = combine(out[o], x[i])` over every position of `shape` (strides 0 in `outStrides` along
    /// reduced axes). Each output combines its inputs in row-major order, in a register when the inner
    /// loop is a reduction.
    @inline(__always)
    static func accumulate(
        _ x: [Float], shape: [Int], strides xStrides: [Int], into out: inout [Float], strides outStrides: [Int],
        _ combine: (Float, Float) -> Float
    ) {
        if shape.contains(0) { return }
        let (order, ordered, orderedOut) = reductionOrder(shape, xStrides, outStrides)
        let (extents, stridesX, stridesOut) = collapsedAxes(order, ordered, orderedOut)
        let inner = extents.last!, innerX = stridesX.last!
        out.withUnsafeMutableBufferPointer { po in
            x.withUnsafeBufferPointer { px in
                if stridesOut.last! == 0 {
                    forEachOffset(Array(extents.dropLast()), Array(stridesX.dropLast()), 0, Array(stridesOut.dropLast()), 0) { _, start, o in
                        var total = po[o], i = start
                        for _ in 0..<inner { total = combine(total, px[i]); i += innerX }
                        po[o] = total
                    }
                } else {
                    forEachOffset(extents, stridesX, 0, stridesOut, 0) { _, i, o in po[o] = combine(po[o], px[i]) }
                }
            }
        }
    }

    /// Sums over sorted `axes`, every output with the blocked sum of `sum` (float32 blocks, double across
    /// blocks): a sum over the pixels of a 64x64 image then agrees with the frameworks' pairwise sums to
    /// float32 precision, where a plain running float32 sum drifted by 4e-5 relative (`ops.mean(p, axis=[1, 2])`
    /// against TensorFlow, Scripts/fidelity.py). Reduced axes that are not trailing are first moved last.
    static func reduceSum(_ x: [Float], shape: [Int], axes: [Int]) -> [Float] {
        let rank = shape.count
        if axes.count == rank { return [sum(x)] }
        // Axes of extent 1 change no order: ignoring them, more reductions are a trailing block.
        let reduced = axes.filter { shape[$0] != 1 }
        let kept = (0..<rank).filter { !axes.contains($0) && shape[$0] != 1 }
        let inner = reduced.reduce(1) { $0 * shape[$1] }
        let outer = kept.reduce(1) { $0 * shape[$1] }
        if inner <= 1 || outer == 0 { return reduce(x, shape: shape, axes: axes, initial: 0) { $0 + $1 } }
        if kept.allSatisfy({ k in reduced.allSatisfy { k < $0 } }) {
            return x.withUnsafeBufferPointer { p in rowSums(p.baseAddress!, rows: outer, length: inner) }
        }
        let strides = contiguousStrides(shape)
        let order = kept + reduced
        let moved = gather(x, shape: order.map { shape[$0] }, strides: order.map { strides[$0] }, base: 0)
        return moved.withUnsafeBufferPointer { p in rowSums(p.baseAddress!, rows: outer, length: inner) }
    }

    /// Splits a shape around `axis` into (outer, length, inner) extents.
    static func lines(_ shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Calls `body` with the flat indices of every line along `axis`.
    static func forEachLine(_ shape: [Int], axis: Int, _ body: (_ start: Int, _ stride: Int, _ length: Int) -> Void) {
        let (outer, length, inner) = lines(shape, axis: axis)
        for o in 0..<outer { for i in 0..<inner { body(o * length * inner + i, inner, length) } }
    }
}

/// The C allocator, tuned once for the engine's large short-lived arrays.
enum Allocator {
    /// glibc serves every block above its mmap threshold (128 KiB, and after a free only up to that
    /// block's size, exclusive) with fresh pages from the kernel, and trims the heap above 128 KiB of
    /// free space: so each new 1M-element array (4 MiB) is page-faulted and zeroed again, a large part
    /// of a 1M-element forward and backward pass. Serving blocks up to 32 MiB from the heap and keeping
    /// up to 64 MiB of it lets freed arrays be reused. Process-wide and speed-only; `mallopt` is looked
    /// up at run time because Glibc's module does not import <malloc.h>. Nothing to do elsewhere.
    static let tuned: Bool = {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let (trimThreshold, mmapThreshold): (Int32, Int32) = (-1, -3)  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        return mallopt(mmapThreshold, 32 << 20) == 1 && mallopt(trimThreshold, 64 << 20) == 1
        #else
        return false
        #endif
    }()
}

/// Float32 helpers with the frameworks' numerically stable forms.
enum Scalar {
    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
    /// log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
    @inline(__always) static func softplus(_ x: Float) -> Float { Swift.max(x, 0) + log1p(exp(-Swift.abs(x))) }
    @inline(__always) static func sign(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? .nan : 0)) }
    /// `a ** b`; squares (the commonest power in losses) and first powers skip `powf`, as PyTorch's
    /// `pow_tensor_scalar` kernel does: a*a is the correctly rounded square, the value powf gives.
    @inline(__always) static func power(_ a: Float, _ b: Float) -> Float { b == 2 ? a * a : b == 1 ? a : powf(a, b) }
}
