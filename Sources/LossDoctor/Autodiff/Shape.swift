/// Shapes, NumPy broadcasting and strided iteration: the index arithmetic every kernel shares.

/// Row-major (C-order) strides of a shape.
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[axis] = step
        step *= shape[axis]
    }
    return strides
}

/// Steps a row-major multi-index to the next position of `shape` (the last axis fastest), back to zeros after the last.
func advance(_ index: inout [Int], within shape: [Int]) {
    var axis = shape.count - 1
    while axis >= 0 {
        index[axis] += 1
        if index[axis] < shape[axis] { return }
        index[axis] = 0
        axis -= 1
    }
}

/// Number of elements of a shape (1 for a scalar); `Int.max` when the product overflows, so that a shape
/// written by user code (`ones((2**40, 2**40))`) fails the size limits instead of trapping.
func elementCount(_ shape: [Int]) -> Int {
    if shape.contains(0) { return 0 }
    var count = 1
    for extent in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: extent)
        if overflow { return Int.max }
        count = product
    }
    return count
}

/// The NumPy broadcast of two shapes, or nil when they do not broadcast.
func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        if da == db || db == 1 { result[i] = da } else if da == 1 { result[i] = db } else { return nil }
    }
    return result
}

/// Strides that read `shape` as if broadcast to `target` (0 along broadcast axes).
func broadcastStrides(of shape: [Int], to target: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let offset = target.count - shape.count
    return (0..<target.count).map { axis in
        axis < offset || shape[axis - offset] == 1 ? 0 : own[axis - offset]
    }
}

/// Normalises possibly negative axes against a rank; nil when an axis is out of range.
func normalizedAxes(_ axes: [Int], rank: Int) -> [Int]? {
    var result: [Int] = []
    for axis in axes {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { return nil }
        if !result.contains(a) { result.append(a) }
    }
    return result.sorted()
}

/// Merges adjacent axes that both strided views walk contiguously, and drops axes of extent 1: the
/// same positions and offsets in the same order, but longer inner loops (a (4, 64, 64, 1) view read
/// against a (4, 1, 1, 1) one becomes (4, 4096)). The shape must not contain 0.
func collapsedAxes(_ shape: [Int], _ stridesA: [Int], _ stridesB: [Int]) -> (shape: [Int], a: [Int], b: [Int]) {
    var extents: [Int] = [], a: [Int] = [], b: [Int] = []
    for axis in shape.indices where shape[axis] != 1 {
        let n = shape[axis], sa = stridesA[axis], sb = stridesB[axis]
        if let last = extents.indices.last, a[last] == sa * n, b[last] == sb * n {
            extents[last] *= n; a[last] = sa; b[last] = sb
        } else {
            extents.append(n); a.append(sa); b.append(sb)
        }
    }
    return extents.isEmpty ? ([1], [0], [0]) : (extents, a, b)
}

/// Visits every position of `shape` in row-major order, giving the running position and the offsets
/// into two strided views (an odometer over the collapsed axes: no division per element).
@inline(__always)
func forEachOffset(
    _ shape: [Int], _ stridesA: [Int], _ baseA: Int = 0, _ stridesB: [Int], _ baseB: Int = 0,
    _ body: (_ position: Int, _ offsetA: Int, _ offsetB: Int) -> Void
) {
    if shape.isEmpty { body(0, baseA, baseB); return }
    if shape.contains(0) { return }
    let (extents, stridesA, stridesB) = collapsedAxes(shape, stridesA, stridesB)
    let rank = extents.count
    let inner = extents[rank - 1], innerA = stridesA[rank - 1], innerB = stridesB[rank - 1]
    var counterStorage = [Int](repeating: 0, count: rank)
    counterStorage.withUnsafeMutableBufferPointer { counter in
        var offsetA = baseA, offsetB = baseB, position = 0
        while true {
            var a = offsetA, b = offsetB
            for _ in 0..<inner {
                body(position, a, b)
                position += 1; a += innerA; b += innerB
            }
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                offsetA += stridesA[axis]; offsetB += stridesB[axis]
                if counter[axis] < extents[axis] { break }
                offsetA -= stridesA[axis] * extents[axis]; offsetB -= stridesB[axis] * extents[axis]
                counter[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}

/// The axis order for a reduction `out[o] = combine(out[o], x[i])` walked by `forEachOffset` over
/// `shape`, where `stridesOut` is 0 along reduced axes. Every output must see its inputs in row-major
/// order (the same float operations in the same order), so the reduced axes keep their order; the kept
/// axes index different outputs and may move. Of the given order and "kept axes outermost", this
/// returns the one with the longer inner loop. Only for bodies that ignore the position.
func reductionOrder(_ shape: [Int], _ stridesX: [Int], _ stridesOut: [Int]) -> (shape: [Int], x: [Int], out: [Int]) {
    if shape.contains(0) { return (shape, stridesX, stridesOut) }
    let kept = shape.indices.filter { stridesOut[$0] != 0 }, reduced = shape.indices.filter { stridesOut[$0] == 0 }
    let order = kept + reduced
    let reordered = (order.map { shape[$0] }, order.map { stridesX[$0] }, order.map { stridesOut[$0] })
    let innerGiven = collapsedAxes(shape, stridesX, stridesOut).shape.last!
    let innerReordered = collapsedAxes(reordered.0, reordered.1, reordered.2).shape.last!
    return innerReordered > innerGiven ? reordered : (shape, stridesX, stridesOut)
}

/// The axis order for a loop whose positions are independent (a copy writing each output once): when
/// the inner loop of the given order is short, the longest axis moves innermost, so the odometer is
/// not paid per element. Only for bodies that ignore the position.
func copyOrder(_ shape: [Int], _ stridesA: [Int], _ stridesB: [Int]) -> (shape: [Int], a: [Int], b: [Int]) {
    if shape.contains(0) { return (shape, stridesA, stridesB) }
    var (extents, a, b) = collapsedAxes(shape, stridesA, stridesB)
    guard let inner = extents.last, inner < 16,
          let longest = extents.indices.max(by: { extents[$0] < extents[$1] }), extents[longest] > inner else {
        return (extents, a, b)
    }
    extents.append(extents.remove(at: longest)); a.append(a.remove(at: longest)); b.append(b.remove(at: longest))
    return (extents, a, b)
}
