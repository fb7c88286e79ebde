/// The public tensor API: thin, throwing wrappers over the op table, plus composites built from it.
extension Tensor {
    /// `a + b`, broadcasting.
    public static func + (a: Tensor, b: Tensor) throws(EngineError) -> Tensor { try apply(.add, [a, b]) }
    /// `a - b`, broadcasting.
    public static func - (a: Tensor, b: Tensor) throws(EngineError) -> Tensor { try apply(.subtract, [a, b]) }
    /// `a * b`, broadcasting.
    public static func * (a: Tensor, b: Tensor) throws(EngineError) -> Tensor { try apply(.multiply, [a, b]) }
    /// `a / b`, broadcasting.
    public static func / (a: Tensor, b: Tensor) throws(EngineError) -> Tensor { try apply(.divide, [a, b]) }
    /// Python's `a % b`: the remainder takes the sign of the divisor.
    public static func % (a: Tensor, b: Tensor) throws(EngineError) -> Tensor { try apply(.modulo, [a, b]) }
    /// `-a`.
    public static prefix func - (a: Tensor) throws(EngineError) -> Tensor { try apply(.negate, [a]) }

    /// Python's `a // b`.
    public func floorDivided(by b: Tensor) throws(EngineError) -> Tensor { try Tensor.apply(.floorDivide, [self, b]) }
    /// `self ** exponent`.
    public func pow(_ exponent: Tensor) throws(EngineError) -> Tensor { try Tensor.apply(.power, [self, exponent]) }
    /// `self * self` (as a product, so its gradient at 0 is exactly 0).
    public func squared() throws(EngineError) -> Tensor { try self * self }

    /// e raised to each element.
    public func exp() throws(EngineError) -> Tensor { try Tensor.apply(.exp, [self]) }
    /// Natural logarithm: `log(0)` is -inf, a negative value NaN.
    public func log() throws(EngineError) -> Tensor { try Tensor.apply(.log, [self]) }
    /// Square root: NaN below 0, and an infinite gradient at 0.
    public func sqrt() throws(EngineError) -> Tensor { try Tensor.apply(.sqrt, [self]) }
    /// Absolute value.
    public func abs() throws(EngineError) -> Tensor { try Tensor.apply(.absolute, [self]) }
    /// The logistic function `1 / (1 + e^-x)`.
    public func sigmoid() throws(EngineError) -> Tensor { try Tensor.apply(.sigmoid, [self]) }
    /// `log(sigmoid(x))`, computed without overflow.
    public func logSigmoid() throws(EngineError) -> Tensor { try Tensor.apply(.logSigmoid, [self]) }
    /// `log(1 + e^x)`, computed without overflow.
    public func softplus() throws(EngineError) -> Tensor { try Tensor.apply(.softplus, [self]) }
    /// Hyperbolic tangent.
    public func tanh() throws(EngineError) -> Tensor { try Tensor.apply(.tanh, [self]) }
    /// Rounds down: the gradient is zero everywhere.
    public func floor() throws(EngineError) -> Tensor { try Tensor.apply(.floor, [self]) }
    /// Rounds up: the gradient is zero everywhere.
    public func ceil() throws(EngineError) -> Tensor { try Tensor.apply(.ceil, [self]) }
    /// Rounds half to even, as NumPy: the gradient is zero everywhere.
    public func rounded() throws(EngineError) -> Tensor { try Tensor.apply(.round, [self]) }
    /// -1, 0 or 1 by sign: the gradient is zero everywhere.
    public func sign() throws(EngineError) -> Tensor { try Tensor.apply(.sign, [self]) }
    /// The same values with no gradient path (`tf.stop_gradient`, `x.detach()`).
    public func stopGradient() throws(EngineError) -> Tensor { try Tensor.apply(.stopGradient, [self]) }

    /// Clamps into `[lower, upper]`.
    public func clipped(_ lower: Float, _ upper: Float) throws(EngineError) -> Tensor {
        try Tensor.apply(.clip(lower: lower, upper: upper), [self])
    }

    /// Converts to `type`: identity for floats, a gradient cut for integers and bool.
    public func cast(_ type: DType) throws(EngineError) -> Tensor { try Tensor.apply(.cast(type), [self]) }

    /// The elementwise comparison as a bool tensor: a gradient cut.
    public func compare(_ c: Comparison, _ other: Tensor) throws(EngineError) -> Tensor {
        try Tensor.apply(.compare(c), [self, other])
    }

    /// The elementwise minimum, broadcasting.
    public static func minimum(_ a: Tensor, _ b: Tensor) throws(EngineError) -> Tensor { try apply(.minimum, [a, b]) }
    /// The elementwise maximum, broadcasting.
    public static func maximum(_ a: Tensor, _ b: Tensor) throws(EngineError) -> Tensor { try apply(.maximum, [a, b]) }

    /// `where(condition, a, b)`.
    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws(EngineError) -> Tensor {
        try apply(.select, [condition, a, b])
    }

    /// Reduces over `axes` (all axes when nil); negative axes count from the end.
    public func reduce(_ reduction: Reduction, axes: [Int]? = nil, keepDims: Bool = false) throws(EngineError) -> Tensor {
        guard let normalized = normalizedAxes(axes ?? Array(0..<shape.count), rank: shape.count) else {
            throw .invalidArgument("axis \(axes ?? []) is out of range for a tensor of rank \(shape.count)")
        }
        return try Tensor.apply(.reduce(reduction, axes: normalized, keepDims: keepDims), [self])
    }

    /// The sum over `axes` (all when nil).
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) throws(EngineError) -> Tensor { try reduce(.sum, axes: axes, keepDims: keepDims) }
    /// The mean over `axes` (all when nil).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws(EngineError) -> Tensor { try reduce(.mean, axes: axes, keepDims: keepDims) }
    /// The maximum over `axes` (all when nil).
    public func max(axes: [Int]? = nil, keepDims: Bool = false) throws(EngineError) -> Tensor { try reduce(.max, axes: axes, keepDims: keepDims) }
    /// The minimum over `axes` (all when nil).
    public func min(axes: [Int]? = nil, keepDims: Bool = false) throws(EngineError) -> Tensor { try reduce(.min, axes: axes, keepDims: keepDims) }

    private func axis(_ axis: Int) throws(EngineError) -> Int {
        guard let a = normalizedAxes([axis], rank: shape.count)?.first else {
            throw .invalidArgument("axis \(axis) is out of range for a tensor of rank \(shape.count)")
        }
        return a
    }

    /// Softmax along `axis`.
    public func softmax(axis: Int = -1) throws(EngineError) -> Tensor { try Tensor.apply(.softmax(axis: self.axis(axis)), [self]) }
    /// Log-softmax along `axis`, computed without overflow.
    public func logSoftmax(axis: Int = -1) throws(EngineError) -> Tensor { try Tensor.apply(.logSoftmax(axis: self.axis(axis)), [self]) }
    /// The index of the largest value along `axis`: a gradient cut.
    public func argmax(axis: Int = -1) throws(EngineError) -> Tensor { try Tensor.apply(.argmax(axis: self.axis(axis)), [self]) }

    /// One-hot encodes integer labels in a new last axis.
    public func oneHot(depth: Int) throws(EngineError) -> Tensor {
        guard depth > 0 else { throw .invalidArgument("one_hot depth must be positive, got \(depth)") }
        return try Tensor.apply(.oneHot(depth: depth), [self])
    }

    /// Reshapes; one extent may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) throws(EngineError) -> Tensor {
        var resolved = newShape
        let known = elementCount(newShape.filter { $0 != -1 })
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        if unknown.count > 1 || newShape.contains(where: { $0 < -1 }) {
            throw .invalidArgument("cannot reshape to \(Tensor.describe(newShape))")
        }
        if let i = unknown.first {
            guard known > 0, count % known == 0 else {
                throw .invalidArgument("cannot reshape a tensor of \(count) elements to \(Tensor.describe(newShape))")
            }
            resolved[i] = count / known
        }
        guard elementCount(resolved) == count else {
            throw .invalidArgument("cannot reshape a tensor of shape \(Tensor.describe(shape)) (\(count) elements) to \(Tensor.describe(newShape))")
        }
        return try Tensor.apply(.reshape(resolved), [self])
    }

    /// Flattens to one axis.
    public func flattened() throws(EngineError) -> Tensor { try reshaped([count]) }

    /// Permutes axes; without `permutation`, reverses them (NumPy's `transpose`).
    public func transposed(_ permutation: [Int]? = nil) throws(EngineError) -> Tensor {
        let perm = permutation ?? Array((0..<shape.count).reversed())
        guard let normalized = normalizedAxes(perm, rank: shape.count), normalized.count == shape.count,
              perm.count == shape.count else {
            throw .invalidArgument("\(perm) is not a permutation of \(shape.count) axes")
        }
        return try Tensor.apply(.transpose(perm.map { $0 < 0 ? $0 + shape.count : $0 }), [self])
    }

    /// A strided window: per axis a start, a step and a count (already resolved against the shape).
    public func slice(starts: [Int], steps: [Int], counts: [Int]) throws(EngineError) -> Tensor {
        guard starts.count == shape.count, steps.count == shape.count, counts.count == shape.count, counts.allSatisfy({ $0 >= 0 }) else {
            throw .invalidArgument("slice needs one range per axis")
        }
        // A step only matters between two elements: with fewer it is 1, so that a step of 2**63 - 1
        // (`x[::2**63 - 1]`) is never multiplied by a stride.
        let steps = shape.indices.map { counts[$0] > 1 ? steps[$0] : 1 }
        for axis in shape.indices where counts[axis] > 0 {
            let (offset, overflow) = (counts[axis] - 1).multipliedReportingOverflow(by: steps[axis])
            let last = overflow ? -1 : starts[axis].addingReportingOverflow(offset).partialValue
            guard !overflow, starts[axis] >= 0, starts[axis] < shape[axis], last >= 0, last < shape[axis] else {
                throw .invalidArgument("index out of range for axis \(axis) with size \(shape[axis])")
            }
        }
        return try Tensor.apply(.slice(starts: starts, steps: steps, counts: counts), [self])
    }

    /// Zero-pads each axis.
    public func padded(before: [Int], after: [Int]) throws(EngineError) -> Tensor {
        guard before.count == shape.count, after.count == shape.count, (before + after).allSatisfy({ $0 >= 0 }) else {
            throw .invalidArgument("pad needs a non-negative (before, after) pair per axis")
        }
        return try Tensor.apply(.pad(before: before, after: after), [self])
    }

    /// Joins tensors along an existing axis.
    public static func concat(_ tensors: [Tensor], axis: Int) throws(EngineError) -> Tensor {
        guard let first = tensors.first else { throw .invalidArgument("concat needs at least one tensor") }
        guard let a = normalizedAxes([axis], rank: first.shape.count)?.first else {
            throw .invalidArgument("axis \(axis) is out of range for a tensor of rank \(first.shape.count)")
        }
        return try apply(.concat(axis: a), tensors)
    }

    /// Joins tensors along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) throws(EngineError) -> Tensor {
        guard let first = tensors.first else { throw .invalidArgument("stack needs at least one tensor") }
        let rank = first.shape.count + 1
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw .invalidArgument("axis \(axis) is out of range for stack") }
        var expandedShape = first.shape
        expandedShape.insert(1, at: a)
        var expanded: [Tensor] = []
        for t in tensors {
            guard t.shape == first.shape else { throw .shapeMismatch(op: "stack", first.shape, t.shape) }
            expanded.append(try t.reshaped(expandedShape))
        }
        return try concat(expanded, axis: a)
    }
}
