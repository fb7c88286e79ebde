/// Ops that move elements by index, as tensor methods: gathering, scattering, sorting, flipping,
/// running sums and pooling. Indices are computed here from constant (cut) index tensors; the values
/// move through `take`/`scatterAdd`, whose gradients follow the elements.
extension Tensor {
    /// Elements by flat index, shaped `shape`.
    public func take(_ indices: [Int], shape: [Int]) throws(EngineError) -> Tensor {
        try Tensor.apply(.take(indices: indices, shape: shape), [self])
    }

    /// Flat positions, in row-major order over `shape`, with `axis` replaced by `position(index, along)`.
    private static func remap(_ shape: [Int], onto target: [Int], axis: Int, _ position: (Int, [Int]) throws(EngineError) -> Int) throws(EngineError) -> [Int] {
        let targetStrides = contiguousStrides(target)
        var result: [Int] = []
        result.reserveCapacity(elementCount(shape))
        var index = [Int](repeating: 0, count: shape.count)
        for flat in 0..<elementCount(shape) {
            var offset = 0
            for a in shape.indices {
                offset += (a == axis ? try position(flat, index) : index[a]) * targetStrides[a]
            }
            result.append(offset)
            advance(&index, within: shape)
        }
        return result
    }

    /// The axis, normalised (negative counts from the end).
    func checkedAxis(_ axis: Int) throws(EngineError) -> Int {
        guard let a = normalizedAxes([axis], rank: Swift.max(shape.count, 1))?.first else {
            throw .invalidArgument("dimension out of range (expected to be in range of [\(-shape.count), \(shape.count - 1)], but got \(axis))")
        }
        return a
    }

    /// Integer positions held by an index tensor, checked against an extent (negative ones wrap when `wrap`).
    private static func positions(_ index: Tensor, extent: Int, wrap: Bool) throws(EngineError) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(index.count)
        for value in index.scalars {
            guard value.isFinite, value == value.rounded() else { throw .invalidArgument("index tensors must hold integers") }
            var i = Int(value)
            if wrap && i < 0 { i += extent }
            guard i >= 0 && i < extent else { throw .invalidArgument("index \(Int(value)) is out of bounds for dimension with size \(extent)") }
            result.append(i)
        }
        return result
    }

    /// `torch.gather(self, axis, index)`: out[..., j, ...] = self[..., index[..., j, ...], ...] along `axis`;
    /// the index has the rank of `self` and no larger extent on the other axes.
    public func gather(axis: Int, index: Tensor) throws(EngineError) -> Tensor {
        let a = try checkedAxis(axis)
        guard index.shape.count == shape.count, index.shape.indices.allSatisfy({ $0 == a || index.shape[$0] <= shape[$0] }) else {
            throw .invalidArgument("gather: index \(Tensor.describe(index.shape)) does not fit input \(Tensor.describe(shape)) along dimension \(axis)")
        }
        let picked = try Tensor.positions(index, extent: shape[a], wrap: false)
        let flat = try Tensor.remap(index.shape, onto: shape, axis: a) { flat, _ in picked[flat] }
        return try take(flat, shape: index.shape)
    }

    /// `tf.gather(self, indices, axis=axis)` / `x[idx]` / `np.take`: whole slices along `axis`, the
    /// index's shape replacing that axis. Negative indices wrap (NumPy, PyTorch indexing).
    public func gatherSlices(axis: Int, index: Tensor, wrap: Bool = true) throws(EngineError) -> Tensor {
        let a = try checkedAxis(axis)
        let picked = try Tensor.positions(index, extent: shape[a], wrap: wrap)
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        var flat: [Int] = []
        flat.reserveCapacity(outer * picked.count * inner)
        for o in 0..<outer {
            for p in picked { for i in 0..<inner { flat.append((o * shape[a] + p) * inner + i) } }
        }
        return try take(flat, shape: Array(shape[..<a]) + index.shape + Array(shape[(a + 1)...]))
    }

    /// `x[mask]`: the elements where a boolean mask (the shape of `self`'s leading axes) is true, as rows.
    public func masked(by mask: Tensor) throws(EngineError) -> Tensor {
        guard mask.shape.count <= shape.count, Array(shape.prefix(mask.shape.count)) == mask.shape else {
            throw .invalidArgument("the shape of the mask \(Tensor.describe(mask.shape)) does not match the shape of the indexed tensor \(Tensor.describe(shape))")
        }
        let inner = shape[mask.shape.count...].reduce(1, *)
        var flat: [Int] = []
        for (i, m) in mask.scalars.enumerated() where m != 0 { for k in 0..<inner { flat.append(i * inner + k) } }
        return try take(flat, shape: [flat.count / Swift.max(inner, 1)] + Array(shape[mask.shape.count...]))
    }

    /// `scatter_add(self, axis, index, source)` (PyTorch): adds source[..., j, ...] into
    /// self[..., index[..., j, ...], ...]. With `replace`, `scatter`: the written positions take the source.
    public func scattered(axis: Int, index: Tensor, source: Tensor, replace: Bool) throws(EngineError) -> Tensor {
        let a = try checkedAxis(axis)
        guard index.shape.count == shape.count, source.shape.count == shape.count,
              index.shape.indices.allSatisfy({ ($0 == a || index.shape[$0] <= shape[$0]) && index.shape[$0] <= source.shape[$0] }) else {
            throw .invalidArgument("scatter: index \(Tensor.describe(index.shape)) does not fit input \(Tensor.describe(shape)) and source \(Tensor.describe(source.shape))")
        }
        let picked = try Tensor.positions(index, extent: shape[a], wrap: false)
        var targets = try Tensor.remap(index.shape, onto: shape, axis: a) { flat, _ in picked[flat] }
        var sources = try Tensor.remap(index.shape, onto: source.shape, axis: -1) { _, _ in 0 }
        if replace {
            // A position written twice keeps the last write (PyTorch on CPU; the order is unspecified on GPU).
            var last: [Int: Int] = [:]
            for (k, target) in targets.enumerated() { last[target] = k }
            let kept = targets.indices.filter { last[targets[$0]] == $0 }
            (targets, sources) = (kept.map { targets[$0] }, kept.map { sources[$0] })
        }
        let values = try source.take(sources, shape: [sources.count])
        let added = try values.apply(.scatterAdd(indices: targets, shape: shape))
        guard replace else { return try self + added }
        var written = [Float](repeating: 0, count: count)
        for t in targets { written[t] = 1 }
        return try Tensor.select(Tensor(shape: shape, scalars: written, dtype: .bool), added, self)
    }

    private func apply(_ op: Op) throws(EngineError) -> Tensor { try Tensor.apply(op, [self]) }

    /// Running sum along `axis`.
    public func cumulativeSum(axis: Int) throws(EngineError) -> Tensor {
        guard !shape.isEmpty else { return self }
        return try Tensor.apply(.cumulativeSum(axis: checkedAxis(axis)), [self])
    }

    /// Reverses the order along each of `axes` (`torch.flip`, `tf.reverse`, `np.flip`).
    public func flipped(axes: [Int]) throws(EngineError) -> Tensor {
        guard let normalized = normalizedAxes(axes, rank: shape.count) else {
            throw .invalidArgument("flip: dims \(axes) out of range for a tensor of rank \(shape.count)")
        }
        guard !shape.isEmpty, !normalized.isEmpty, count > 0 else { return self }
        let starts = shape.indices.map { normalized.contains($0) ? shape[$0] - 1 : 0 }
        let steps = shape.indices.map { normalized.contains($0) ? -1 : 1 }
        return try slice(starts: starts, steps: steps, counts: shape)
    }

    /// Sorts along `axis` (stable; NaN sorts as the largest value, as in PyTorch and NumPy): the sorted
    /// values (the gradient follows each element to where it came from) and the positions (int64, cut).
    public func sorted(axis: Int = -1, descending: Bool = false) throws(EngineError) -> (values: Tensor, indices: Tensor) {
        guard !shape.isEmpty else { return (self, Tensor(0, dtype: .int64)) }
        let a = try checkedAxis(axis)
        var order = [Int](repeating: 0, count: count)
        let values = scalars
        Kernels.forEachLine(shape, axis: a) { start, stride, length in
            let line = (0..<length).map { values[start + $0 * stride] }
            let ranked = (0..<length).sorted { i, j in
                let (u, v) = (line[i], line[j])
                if u.isNaN || v.isNaN { return u.isNaN && v.isNaN ? i < j : (descending ? u.isNaN : v.isNaN) }
                if u == v { return i < j }  // ties keep their order: a stable sort
                return descending ? u > v : u < v
            }
            for (k, i) in ranked.enumerated() { order[start + k * stride] = i }
        }
        let positions = Tensor(shape: shape, scalars: order.map(Float.init), dtype: .int64)
        return (try gather(axis: a, index: positions), positions)
    }

    /// The `k` largest (or smallest) along `axis`, sorted, with their positions (`torch.topk`, `tf.math.top_k`).
    public func top(_ k: Int, axis: Int = -1, largest: Bool = true) throws(EngineError) -> (values: Tensor, indices: Tensor) {
        let a = try checkedAxis(axis)
        guard k >= 0, shape.isEmpty ? k <= 1 : k <= shape[a] else { throw .invalidArgument("selected index k out of range") }
        let (values, indices) = try sorted(axis: a, descending: largest)
        guard !shape.isEmpty, k < shape[a] else { return (values, indices) }
        var counts = shape
        counts[a] = k
        let zeros = shape.map { _ in 0 }, ones = shape.map { _ in 1 }
        return (try values.slice(starts: zeros, steps: ones, counts: counts), try indices.slice(starts: zeros, steps: ones, counts: counts))
    }

    /// Pools over windows.
    func pooled(_ windows: PoolWindows) throws(EngineError) -> Tensor {
        try Tensor.apply(.pool(windows), [self])
    }
}
