import Synchronization

/// The windows of a pooling op: which axes are pooled and, per output position along each of them, where
/// the window starts (negative inside the padding), how far it reaches, and what an average divides by.
/// Windows are boxes, so the divisor of an output element is the product of its per-axis divisors.
/// The frameworks' geometry (PyTorch's `padding`/`ceil_mode`, TensorFlow's `'SAME'`) is worked out by
/// the builtins; the op only reads the windows.
struct PoolWindows: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case max, average }

    let kind: Kind
    /// The pooled axes, ascending.
    let axes: [Int]
    /// Per pooled axis, per output position: the first input index of the window.
    let starts: [[Int]]
    /// Per pooled axis, per output position: the window's extent, padding included.
    let extents: [[Int]]
    /// Per pooled axis, per output position: what an average divides by along that axis.
    let divisors: [[Int]]

    init(kind: Kind, axes: [Int], starts: [[Int]], extents: [[Int]], divisors: [[Int]]) {
        self.kind = kind
        self.axes = axes
        self.starts = starts
        self.extents = extents
        self.divisors = divisors
    }

    /// Sliding windows of `kernel` elements every `stride`, starting `padding` before the input, `outputs`
    /// of them per axis. `countPadding`: the average divides by the window's extent within the padded
    /// input (PyTorch's `count_include_pad=True`); otherwise by the input elements it covers (TensorFlow).
    static func sliding(_ kind: Kind, axes: [Int], inputExtents: [Int], kernel: [Int], stride: [Int],
                        padding: [Int], outputs: [Int], countPadding: Bool) -> PoolWindows {
        var starts: [[Int]] = [], extents: [[Int]] = [], divisors: [[Int]] = []
        for k in axes.indices {
            let first = (0..<outputs[k]).map { $0 * stride[k] - padding[k] }
            starts.append(first)
            extents.append(first.map { _ in kernel[k] })
            divisors.append(first.map { s in
                countPadding ? Swift.min(s + kernel[k], inputExtents[k] + padding[k]) - s
                    : Swift.max(Swift.min(s + kernel[k], inputExtents[k]) - Swift.max(s, 0), 1)
            })
        }
        return PoolWindows(kind: kind, axes: axes, starts: starts, extents: extents, divisors: divisors)
    }

    /// Adaptive windows (`adaptive_avg_pool2d`): output position o of n covers [floor(o·N/n), ceil((o+1)·N/n)).
    static func adaptive(_ kind: Kind, axes: [Int], inputExtents: [Int], outputs: [Int]) -> PoolWindows {
        var starts: [[Int]] = [], extents: [[Int]] = []
        for k in axes.indices {
            let (size, count) = (inputExtents[k], outputs[k])
            let first = (0..<count).map { $0 * size / count }
            let last = (0..<count).map { (($0 + 1) * size + count - 1) / count }
            starts.append(first)
            extents.append(zip(first, last).map { $1 - $0 })
        }
        return PoolWindows(kind: kind, axes: axes, starts: starts, extents: extents, divisors: extents)
    }

    /// The output shape for an input shape; nil when the windows were made for another rank.
    func outputShape(_ input: [Int]) -> [Int]? {
        guard axes.allSatisfy({ $0 >= 0 && $0 < input.count }), starts.count == axes.count else { return nil }
        var shape = input
        for (k, axis) in axes.enumerated() { shape[axis] = starts[k].count }
        return shape
    }

    /// For each output element (row-major), the flat offsets of the input elements its window covers, in
    /// scan order, delimited by `bounds`, and its divisor.
    struct Table: Sendable {
        let shape: [Int]
        let offsets: [Int]
        let bounds: [Int]
        let divisors: [Float]
    }

    /// Tables already built, by windows and input shape: a loss pools the same geometry many times per
    /// evaluation (a soft skeleton pools dozens of times), and the backward pass needs the same table.
    private static let cache = Mutex<[TableKey: Table]>([:])
    private struct TableKey: Hashable { let windows: PoolWindows; let input: [Int] }

    func table(_ input: [Int]) -> Table? {
        let key = TableKey(windows: self, input: input)
        if let known = Self.cache.withLock({ $0[key] }) { return known }
        guard let table = buildTable(input) else { return nil }
        Self.cache.withLock { cache in
            if cache.count >= 64 { cache.removeAll() }
            cache[key] = table
        }
        return table
    }

    private func buildTable(_ input: [Int]) -> Table? {
        guard let shape = outputShape(input) else { return nil }
        let strides = contiguousStrides(input)
        // Per pooled axis and output position: the offsets of the covered input indices along that axis.
        let axisOffsets: [[[Int]]] = axes.indices.map { k in
            let axis = axes[k]
            return starts[k].indices.map { p in
                let low = Swift.max(starts[k][p], 0), high = Swift.min(starts[k][p] + extents[k][p], input[axis])
                return low < high ? (low..<high).map { $0 * strides[axis] } : []
            }
        }
        let pooled: [Int?] = input.indices.map { axes.firstIndex(of: $0) }
        let count = elementCount(shape)
        var offsets: [Int] = [], bounds = [Int](), divisors = [Float]()
        bounds.reserveCapacity(count + 1)
        divisors.reserveCapacity(count)
        bounds.append(0)
        var index = [Int](repeating: 0, count: shape.count)
        var lists: [[Int]] = Array(repeating: [], count: axes.count)
        var odometer = [Int](repeating: 0, count: axes.count)
        for _ in 0..<count {
            var base = 0, divisor = 1
            for a in shape.indices {
                if let k = pooled[a] {
                    lists[k] = axisOffsets[k][index[a]]
                    divisor *= self.divisors[k][index[a]]
                } else {
                    base += index[a] * strides[a]
                }
            }
            // Every combination of the per-axis offsets, the last pooled axis fastest (row-major scan order).
            if !lists.contains(where: \.isEmpty) {
                for k in odometer.indices { odometer[k] = 0 }
                combinations: while true {
                    var offset = base
                    for k in lists.indices { offset += lists[k][odometer[k]] }
                    offsets.append(offset)
                    var k = lists.count - 1
                    while k >= 0 {
                        odometer[k] += 1
                        if odometer[k] < lists[k].count { continue combinations }
                        odometer[k] = 0
                        k -= 1
                    }
                    break
                }
            }
            bounds.append(offsets.count)
            divisors.append(Float(divisor))
            advance(&index, within: shape)
        }
        return Table(shape: shape, offsets: offsets, bounds: bounds, divisors: divisors)
    }
}
