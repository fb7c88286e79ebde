/// NumPy/PyTorch advanced indexing of a tensor: integer lists and integer tensors among the indices
/// (`x[:, [i]]`, `x[rows, order.view(-1)]`). The index arrays broadcast together to one shape, which takes
/// the place of the axes they index when those are adjacent and goes first otherwise, as in NumPy; an int
/// among them counts as a 0-d array. The elements move through `take`, whose gradient follows them.
extension Interpreter {
    /// One index of a multi-index, classified.
    private enum IndexPart {
        case newAxis
        case range(first: Int, step: Int, count: Int)
        case array(positions: [Int], shape: [Int])
    }

    /// Whether an index item is an advanced (array) index: a list of ints or an integer tensor of rank > 0.
    static func isArrayIndex(_ item: Value) -> Bool {
        switch item {
        case .list: true
        case .tensor(let t): !t.dtype.isFloatingPoint && t.dtype != .bool && !t.shape.isEmpty
        default: false
        }
    }

    /// `t[items]` where at least one item is an array index; `items` has no ellipsis left.
    func advancedIndex(_ t: Tensor, _ items: [Value], at here: SourceSite) throws -> Tensor {
        var parts: [IndexPart] = []
        var axes: [Int?] = []  // the input axis each part consumes
        var axis = 0
        for item in items {
            switch item {
            case .none:
                parts.append(.newAxis); axes.append(nil)
            case .slice(let a, let b, let c):
                guard axis < t.shape.count else { throw tooManyIndices(t, at: here) }
                let (first, step, count) = try Self.resolve(a, b, c, length: t.shape[axis], interpreter: self, at: here)
                parts.append(.range(first: first, step: step, count: count)); axes.append(axis)
                axis += 1
            default:
                guard axis < t.shape.count else { throw tooManyIndices(t, at: here) }
                let (raw, shape) = try arrayIndex(item, at: here)
                let extent = t.shape[axis]
                let positions = try raw.map { i -> Int in
                    guard let p = Self.normalize(i, count: extent) else {
                        throw InterpreterError(.pythonError, "IndexError: index \(i) is out of bounds for dimension \(axis) with size \(extent)", at: here)
                    }
                    return p
                }
                parts.append(.array(positions: positions, shape: shape)); axes.append(axis)
                axis += 1
            }
        }
        while axis < t.shape.count {
            parts.append(.range(first: 0, step: 1, count: t.shape[axis])); axes.append(axis)
            axis += 1
        }
        // The arrays' common shape, and where it goes in the result.
        let arrayParts = parts.indices.filter { if case .array = parts[$0] { true } else { false } }
        var broadcast: [Int] = []
        for i in arrayParts {
            guard case .array(_, let shape) = parts[i], let joined = broadcastShape(broadcast, shape) else {
                throw InterpreterError(.pythonError, "IndexError: shape mismatch: indexing arrays could not be broadcast together", at: here)
            }
            broadcast = joined
        }
        let adjacent = arrayParts.last! - arrayParts.first! + 1 == arrayParts.count
        let arraysAt = adjacent ? parts[..<arrayParts.first!].count { if case .array = $0 { false } else { true } } : 0
        var outShape: [Int] = []
        var dimensionOfPart: [Int?] = []  // the result dimension of each newaxis/range part
        for part in parts {
            switch part {
            case .newAxis: dimensionOfPart.append(nil); outShape.append(1)
            case .range(_, _, let count): dimensionOfPart.append(outShape.count); outShape.append(count)
            case .array: dimensionOfPart.append(nil)
            }
        }
        outShape.insert(contentsOf: broadcast, at: arraysAt)
        // Dimensions after the inserted arrays move right by their rank.
        let partDimension = dimensionOfPart.map { $0.map { $0 >= arraysAt ? $0 + broadcast.count : $0 } }
        let total = elementCount(outShape)
        // The index table is as large as the result: checked against the tensor size limit before it is built.
        if total > Tensor.elementLimit { throw limitError(.tooLarge(elements: total, limit: Tensor.elementLimit), at: here) }
        let inputStrides = contiguousStrides(t.shape)
        let arrayStrides = arrayParts.map { i -> [Int] in
            guard case .array(_, let shape) = parts[i] else { return [] }
            return broadcastStrides(of: shape, to: broadcast)
        }
        let broadcastStridesOut = contiguousStrides(broadcast)
        var flat: [Int] = []
        flat.reserveCapacity(total)
        var index = [Int](repeating: 0, count: outShape.count)
        for _ in 0..<total {
            var offset = 0
            for (p, part) in parts.enumerated() {
                if case .range(let first, let step, _) = part, let dimension = partDimension[p], let a = axes[p] {
                    offset += (first + index[dimension] * step) * inputStrides[a]
                }
            }
            var b = 0  // the position within the broadcast arrays, as a flat index
            for k in broadcast.indices { b += index[arraysAt + k] * broadcastStridesOut[k] }
            for (n, i) in arrayParts.enumerated() {
                guard case .array(let positions, _) = parts[i], let a = axes[i] else { continue }
                var source = 0
                var rest = b
                for k in broadcast.indices {
                    source += (rest / broadcastStridesOut[k]) * arrayStrides[n][k]
                    rest %= broadcastStridesOut[k]
                }
                offset += positions[source] * inputStrides[a]
            }
            flat.append(offset)
            advance(&index, within: outShape)
        }
        return try engine(here) { try t.take(flat, shape: outShape) }
    }

    /// The integers of an index array and its shape: an int (0-d), a rectangular (nested) list of ints, or an integer tensor.
    private func arrayIndex(_ item: Value, at here: SourceSite) throws -> (positions: [Int], shape: [Int]) {
        if case .tensor(let index) = item {
            guard !index.dtype.isFloatingPoint, index.dtype != .bool else {
                throw InterpreterError(.unsupportedSyntax, "indexing a tensor with a \(index.dtype) tensor among other indices is outside the subset LossDoctor evaluates", at: here, hint: "use `where` or a multiplication by the mask")
            }
            return (index.scalars.map { Int($0) }, index.shape)
        }
        if let i = try integer(item) { return ([i], []) }
        guard case .list(let box) = item else {
            throw InterpreterError(.unsupportedSyntax, "indexing a tensor with \(item.typeName) (advanced or boolean indexing) is outside the subset LossDoctor evaluates", at: here, hint: "use `where` or a multiplication by the mask")
        }
        var positions: [Int] = [], inner: [Int]? = nil
        for element in box.items {
            if case .bool = element {
                throw InterpreterError(.unsupportedSyntax, "indexing a tensor with a list of booleans is outside the subset LossDoctor evaluates", at: here)
            }
            let (values, shape) = try arrayIndex(element, at: here)
            if let inner, inner != shape {
                throw InterpreterError(.pythonError, "ValueError: setting an array element with a sequence: the index list is not rectangular", at: here)
            }
            inner = shape
            positions += values
            try work(items: values.count, at: here)
        }
        return (positions, [box.items.count] + (inner ?? []))
    }

    private func tooManyIndices(_ t: Tensor, at here: SourceSite) -> InterpreterError {
        InterpreterError(.pythonError, "IndexError: too many indices for a tensor of rank \(t.shape.count)", at: here)
    }
}
