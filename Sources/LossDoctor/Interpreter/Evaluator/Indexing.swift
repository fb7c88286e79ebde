/// `object[index]`: NumPy basic indexing on tensors (ints, slices, `None`, `...`), Python indexing elsewhere.
extension Interpreter {
    func index(_ object: Value, _ index: Value, at here: SourceSite) throws -> Value {
        switch object {
        case .tensor(let t): return .tensor(try indexTensor(t, index, at: here))
        case .tuple, .list, .string:
            let items = try iterate(object, at: here)
            if let i = try integer(index) {
                guard let position = Self.normalize(i, count: items.count) else {
                    throw InterpreterError(.pythonError, "IndexError: \(object.typeName) index out of range", at: here)
                }
                return items[position]
            }
            if case .slice(let start, let stop, let step) = index {
                let (first, stride, count) = try Self.resolve(start, stop, step, length: items.count, interpreter: self, at: here)
                let picked = (0..<count).map { items[first + $0 * stride] }
                switch object {
                case .tuple: return .tuple(picked)
                case .string: return .string(picked.map { display($0) }.joined())
                default: return .list(ListBox(picked))
                }
            }
            throw InterpreterError(.pythonError, "TypeError: \(object.typeName) indices must be integers or slices, not \(index.typeName)", at: here)
        case .dict(let box):
            guard let key = DictKey(index), let value = box[key] else {
                throw InterpreterError(.pythonError, "KeyError: \(display(index))", at: here)
            }
            return value
        case .module(let path) where path.hasPrefix("typing.") || path.hasPrefix("collections.abc."):
            // `Union[str, Callable[[], str]]`, `Optional[Tensor]`: a type alias of library code's annotations;
            // it only names types, so the alias stands for itself.
            return object
        case .userClass(let cls) where cls.enumMembers != nil:
            // `LossReduction["MEAN"]`: a member (or alias) by its name.
            guard case .string(let name) = index, case .instance(let member)? = cls.attributes[name], member.cls.enumMembers != nil else {
                throw InterpreterError(.pythonError, "KeyError: \(display(index))", at: here)
            }
            return .instance(member)
        default:
            throw InterpreterError(.pythonError, "TypeError: '\(object.typeName)' object is not subscriptable", at: here)
        }
    }

    /// A Python int from an int, bool or one-element integer tensor.
    func integer(_ value: Value) throws -> Int? {
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1 && !t.dtype.isFloatingPoint: return Int(exactly: t.scalars[0].rounded(.towardZero))
        default: return nil
        }
    }

    /// Resolves a Python slice against a length: (first index, step, count), like `slice.indices`.
    static func resolve(_ start: Value, _ stop: Value, _ step: Value, length: Int, interpreter: Interpreter,
                        at here: SourceSite) throws -> (first: Int, step: Int, count: Int) {
        func bound(_ value: Value) throws -> Int? {
            if case .none = value { return nil }
            guard let i = try interpreter.integer(value) else {
                throw InterpreterError(.pythonError, "TypeError: slice indices must be integers or None", at: here)
            }
            return i
        }
        let stride = try bound(step) ?? 1
        guard stride != 0 else { throw InterpreterError(.pythonError, "ValueError: slice step cannot be zero", at: here) }
        var first: Int, last: Int
        // Counts as (distance - 1) / |step| + 1: first and last lie in [-1, length], so nothing overflows
        // whatever the step (`[::2**63 - 1]`, `[::-2**63]`).
        if stride > 0 {
            first = try bound(start).map { $0 < 0 ? Swift.max($0 + length, 0) : Swift.min($0, length) } ?? 0
            last = try bound(stop).map { $0 < 0 ? Swift.max($0 + length, 0) : Swift.min($0, length) } ?? length
            return (first, stride, last > first ? (last - first - 1) / stride + 1 : 0)
        }
        first = try bound(start).map { $0 < 0 ? Swift.max($0 + length, -1) : Swift.min($0, length - 1) } ?? length - 1
        last = try bound(stop).map { $0 < 0 ? Swift.max($0 + length, -1) : Swift.min($0, length - 1) } ?? -1
        let magnitude = stride == Int.min ? Int.max : -stride
        return (first, stride, first > last ? (first - last - 1) / magnitude + 1 : 0)
    }

    /// The items of a tensor index (`x[i, :, None, ...]`), one per axis position: a tuple's elements or the index
    /// alone, with `...` expanded to the full slices it stands for. Too many consuming items is Python's IndexError.
    static func indexItems(_ index: Value, rank: Int, at here: SourceSite) throws -> [Value] {
        var items = index.sequence.flatMap { if case .tuple = index { $0 } else { nil } } ?? [index]
        let consuming = items.filter { if case .none = $0 { false } else if case .ellipsis = $0 { false } else { true } }.count
        guard consuming <= rank else {
            throw InterpreterError(.pythonError, "IndexError: too many indices for a tensor of rank \(rank)", at: here)
        }
        if let ellipsis = items.firstIndex(where: { if case .ellipsis = $0 { true } else { false } }) {
            items.replaceSubrange(ellipsis...ellipsis, with: Array(repeating: .slice(.none, .none, .none), count: rank - consuming))
        }
        return items
    }

    /// Basic indexing of a tensor.
    func indexTensor(_ t: Tensor, _ index: Value, at here: SourceSite) throws -> Tensor {
        // `x[mask]` (a boolean tensor) and `x[indices]` (an integer tensor): rows picked along the first axis.
        if case .tensor(let picker) = index, picker.dtype == .bool || (!picker.dtype.isFloatingPoint && !picker.shape.isEmpty) {
            return try engine(here) { try picker.dtype == .bool ? t.masked(by: picker) : t.gatherSlices(axis: 0, index: picker) }
        }
        let items = try Self.indexItems(index, rank: t.shape.count, at: here)
        if items.contains(where: Self.isArrayIndex) { return try advancedIndex(t, items, at: here) }
        var starts: [Int] = [], steps: [Int] = [], counts: [Int] = [], finalShape: [Int] = []
        var axis = 0
        for item in items {
            switch item {
            case .none:
                finalShape.append(1)
            case .slice(let a, let b, let c):
                let (first, stride, count) = try Self.resolve(a, b, c, length: t.shape[axis], interpreter: self, at: here)
                starts.append(count > 0 ? first : 0); steps.append(stride); counts.append(count)
                finalShape.append(count)
                axis += 1
            default:
                guard let i = try integer(item) else {
                    throw InterpreterError(.unsupportedSyntax, "indexing a tensor with \(item.typeName) (advanced or boolean indexing) is outside the subset LossDoctor evaluates", at: here, hint: "use `where` or a multiplication by the mask")
                }
                guard let position = Self.normalize(i, count: t.shape[axis]) else {
                    throw InterpreterError(.pythonError, "IndexError: index \(i) is out of bounds for axis \(axis) with size \(t.shape[axis])", at: here)
                }
                starts.append(position); steps.append(1); counts.append(1)
                axis += 1
            }
        }
        while axis < t.shape.count {
            starts.append(0); steps.append(1); counts.append(t.shape[axis]); finalShape.append(t.shape[axis])
            axis += 1
        }
        return try engine(here) {
            let window = try t.slice(starts: starts, steps: steps, counts: counts)
            return window.shape == finalShape ? window : try window.reshaped(finalShape)
        }
    }
}

/// Attributes of tensors that are values, not methods: `shape`, `dtype`, `ndim`, `T`, `device`.
enum TensorProperties {
    /// The devices a tensor can be on, as `torch.device` names them; every probe is on the CPU.
    static let deviceNames: Set<String> = ["cpu", "cuda", "mps", "xpu", "meta"]

    static func value(of t: Tensor, _ name: String, interpreter: Interpreter, at here: SourceSite) throws -> Value? {
        switch name {
        case "shape": .tuple(t.shape.map { .int($0) })
        case "dtype": .dtype(t.dtype)
        case "ndim": .int(t.shape.count)
        case "T", "mT": .tensor(try interpreter.engine(here) { try t.transposed() })
        case "device": .string("cpu")
        case "is_cuda", "requires_grad": .bool(name == "requires_grad" ? t.requiresGrad : false)
        case "data": .tensor(try interpreter.engine(here) { try t.stopGradient() })
        default: nil
        }
    }
}
