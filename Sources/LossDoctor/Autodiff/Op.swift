#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an op passes gradient, as TensorFlow and PyTorch define it (../shared/notes/framework-facts.md).
public enum GradientClass: String, Sendable {
    /// A true derivative.
    case smooth
    /// Differentiable in the framework, but the derivative is zero almost everywhere (round, floor, sign).
    case zeroAlmostEverywhere = "zero-almost-everywhere"
    /// No gradient at all: TensorFlow returns `None`, PyTorch has no graph or raises.
    case cut
}

/// Element types. Storage is always float32; the type decides casts and what a finding says.
public enum DType: String, Sendable, CaseIterable {
    case float16, float32, float64, int8, int16, int32, int64, uint8, bool

    /// Whether values of this type carry gradient.
    public var isFloatingPoint: Bool { self == .float16 || self == .float32 || self == .float64 }
}

/// Comparison operators, all gradient cuts.
public enum Comparison: String, Sendable {
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="

    func holds(_ a: Float, _ b: Float) -> Bool {
        switch self {
        case .less: a < b
        case .lessEqual: a <= b
        case .greater: a > b
        case .greaterEqual: a >= b
        case .equal: a == b
        case .notEqual: a != b
        }
    }
}

/// Reductions over axes.
public enum Reduction: String, Sendable { case sum, mean, max, min }

/// The op table: every primitive with its forward computation and its vector-Jacobian product.
/// Both switches are exhaustive (no `default:`), so an op cannot be added without its gradient.
/// Composite functions (BCE, Dice, softmax cross-entropy) are written from these in `TensorOps`.
enum Op: Sendable {
    /// A leaf the gradient is taken with respect to.
    case variable
    /// a + b, broadcasting.
    case add
    /// a - b, broadcasting.
    case subtract
    /// a * b, broadcasting.
    case multiply
    /// a / b; x/0 is ±inf and 0/0 is NaN, as in float32.
    case divide
    /// floor(a / b) (Python `//`, `tf.math.floordiv`, `torch.floor_divide`): no gradient in either framework.
    case floorDivide
    /// a - floor(a / b) * b (Python `%`, sign of the divisor); gradient 1 to a, like both frameworks.
    case modulo
    /// a ** b; gradient to b is 0 where a == 0 (PyTorch's `pow_backward_exponent`).
    case power
    /// Elementwise min; a tie sends half the gradient to each side (PyTorch).
    case minimum
    /// Elementwise max; a tie sends half the gradient to each side (PyTorch).
    case maximum
    /// A comparison giving a bool tensor: a gradient cut.
    case compare(Comparison)
    /// -x.
    case negate
    /// |x|; gradient sign(x), 0 at the kink.
    case absolute
    /// e^x.
    case exp
    /// Natural log: log(0) = -inf, log(x < 0) = NaN; gradient 1/x (inf at 0).
    case log
    /// Square root: gradient 0.5/sqrt(x), inf at 0.
    case sqrt
    /// 1 / (1 + e^-x): exactly 1.0 in float32 for x >= 16.7.
    case sigmoid
    /// log(sigmoid(x)) computed stably: -softplus(-x).
    case logSigmoid
    /// log(1 + e^x) computed stably.
    case softplus
    /// tanh(x).
    case tanh
    /// Rounds down: gradient zero almost everywhere (PyTorch zeros, TensorFlow `None`).
    case floor
    /// Rounds up: gradient zero almost everywhere.
    case ceil
    /// Rounds half to even, like `tf.round`, `torch.round` and `np.round`: gradient zero almost everywhere.
    case round
    /// -1, 0 or 1: gradient zeros in both frameworks.
    case sign
    /// Clamps to [lower, upper]; gradient 1 inside the closed range, 0 outside.
    case clip(lower: Float, upper: Float)
    /// A cast: to a float type it is the identity; to an integer or bool type it truncates and cuts.
    case cast(DType)
    /// `tf.stop_gradient`, `.detach()`: the value passes, the gradient does not.
    case stopGradient
    /// where(condition, a, b): the condition is cut, a and b get the gradient where chosen.
    case select
    /// A reduction over sorted, non-negative axes.
    case reduce(Reduction, axes: [Int], keepDims: Bool)
    /// softmax along an axis.
    case softmax(axis: Int)
    /// log-softmax along an axis.
    case logSoftmax(axis: Int)
    /// Index of the maximum along an axis (int64): a gradient cut.
    case argmax(axis: Int)
    /// One-hot encoding of integer labels in a new last axis (float32; out-of-range labels give zeros, like TensorFlow).
    case oneHot(depth: Int)
    /// Same data, new shape.
    case reshape([Int])
    /// Permutes the axes.
    case transpose([Int])
    /// A strided window: per axis a start, a step (may be negative) and a count.
    case slice(starts: [Int], steps: [Int], counts: [Int])
    /// Zero padding: per axis, elements added before and after.
    case pad(before: [Int], after: [Int])
    /// Joins tensors along an axis.
    case concat(axis: Int)
    /// Picks elements by flat index into a tensor of `shape`: output element i is input element
    /// `indices[i]` (`torch.gather`, `tf.gather`, sorting, `topk`, `flip`, integer and mask indexing).
    /// The gradient is scattered back, adding where an element is picked more than once.
    case take(indices: [Int], shape: [Int])
    /// Adds input element i into a zero tensor of `shape` at flat position `indices[i]` (`scatter_add`);
    /// its gradient picks the gradient back at those positions.
    case scatterAdd(indices: [Int], shape: [Int])
    /// Running sum along an axis (`cumsum`); the gradient is the running sum of the gradient from the end.
    case cumulativeSum(axis: Int)
    /// Max or average pooling over windows of some axes (`max_pool2d`, `avg_pool3d`, adaptive pools).
    case pool(PoolWindows)
    /// A convolution of a padded input (x[0]) with a weight (x[1]) (`conv2d` and its kin); the gradient goes
    /// to both, each window's elements receiving the filter's weights.
    case convolution(ConvolutionWindows)

    /// How this op passes gradient.
    var gradientClass: GradientClass {
        switch self {
        case .floor, .ceil, .round, .sign: .zeroAlmostEverywhere
        case .floorDivide, .compare, .stopGradient, .argmax, .oneHot: .cut
        case .cast(let type): type.isFloatingPoint ? .smooth : .cut
        case .variable, .add, .subtract, .multiply, .divide, .modulo, .power, .minimum, .maximum, .negate,
             .absolute, .exp, .log, .sqrt, .sigmoid, .logSigmoid, .softplus, .tanh, .clip, .select, .reduce,
             .softmax, .logSoftmax, .reshape, .transpose, .slice, .pad, .concat, .take, .scatterAdd, .cumulativeSum, .pool,
             .convolution:
            .smooth
        }
    }

    /// The name users know the op by, used in findings.
    var name: String {
        switch self {
        case .variable: "prediction"
        case .add: "+"
        case .subtract: "-"
        case .multiply: "*"
        case .divide: "/"
        case .floorDivide: "//"
        case .modulo: "%"
        case .power: "**"
        case .minimum: "minimum"
        case .maximum: "maximum"
        case .compare(let c): c.rawValue
        case .negate: "neg"
        case .absolute: "abs"
        case .exp: "exp"
        case .log: "log"
        case .sqrt: "sqrt"
        case .sigmoid: "sigmoid"
        case .logSigmoid: "log_sigmoid"
        case .softplus: "softplus"
        case .tanh: "tanh"
        case .floor: "floor"
        case .ceil: "ceil"
        case .round: "round"
        case .sign: "sign"
        case .clip: "clip"
        case .cast(let type): "cast(\(type.rawValue))"
        case .stopGradient: "stop_gradient"
        case .select: "where"
        case .reduce(let r, _, _): "reduce_\(r.rawValue)"
        case .softmax: "softmax"
        case .logSoftmax: "log_softmax"
        case .argmax: "argmax"
        case .oneHot: "one_hot"
        case .reshape: "reshape"
        case .transpose: "transpose"
        case .slice: "slice"
        case .pad: "pad"
        case .concat: "concat"
        case .take: "gather"
        case .scatterAdd: "scatter_add"
        case .cumulativeSum: "cumsum"
        case .pool(let windows): windows.kind == .max ? "max_pool" : "avg_pool"
        case .convolution: "conv"
        }
    }

    /// What TensorFlow and PyTorch give as the gradient through this op, for messages.
    var frameworkGradients: (tensorflow: String, pytorch: String) {
        switch self {
        case .floorDivide:
            ("None (no gradient registered for FloorDiv: `No gradients provided for any variable`)",
             "RuntimeError: derivative for aten::floor_divide is not implemented")
        case .floor, .ceil, .round: ("None", "zeros")
        case .sign: ("zeros", "zeros")
        case .compare: ("None", "no graph: the result does not require grad")
        case .cast: ("None", "no graph: the result does not require grad")
        case .argmax, .oneHot: ("None", "no graph: the result does not require grad")
        case .stopGradient: ("None", "no graph: the result does not require grad")
        default: ("a gradient", "a gradient")
        }
    }

    /// How many elements the op's output will have, computed before the op runs so that the size limits
    /// are checked before anything is allocated (saturating at `Int.max`; invalid shapes give a small
    /// count and fail in `forward`).
    func outputCount(_ x: [Tensor]) -> Int {
        func sum(_ a: Int, _ b: Int) -> Int { a > Int.max - b ? Int.max : a + b }
        switch self {
        case .add, .subtract, .multiply, .divide, .floorDivide, .modulo, .power, .minimum, .maximum, .compare:
            return broadcastShape(x[0].shape, x[1].shape).map(elementCount) ?? 0
        case .select:
            return broadcastShape(x[1].shape, x[2].shape).flatMap { broadcastShape(x[0].shape, $0) }.map(elementCount) ?? 0
        case .variable, .negate, .absolute, .exp, .log, .sqrt, .sigmoid, .logSigmoid, .softplus, .tanh, .floor, .ceil,
             .round, .sign, .clip, .cast, .stopGradient, .softmax, .logSoftmax, .transpose:
            return x.first?.count ?? 0
        case .reduce(_, let axes, _):
            // What the reduction keeps (a sum over everything is one element), not its input.
            guard let t = x.first, axes.allSatisfy({ t.shape.indices.contains($0) }) else { return x.first?.count ?? 0 }
            return elementCount(t.shape.indices.map { axes.contains($0) ? 1 : t.shape[$0] })
        case .argmax(let axis):
            guard let t = x.first, t.shape.indices.contains(axis) else { return x.first?.count ?? 0 }
            return elementCount(t.shape.indices.map { $0 == axis ? 1 : t.shape[$0] })
        case .oneHot(let depth):
            return elementCount([x[0].count, depth])
        case .reshape(let shape):
            return elementCount(shape)
        case .slice(_, _, let counts):
            return elementCount(counts)
        case .pad(let before, let after):
            guard before.count == x[0].shape.count, after.count == x[0].shape.count else { return 0 }
            return elementCount(x[0].shape.indices.map { sum(sum(x[0].shape[$0], before[$0]), after[$0]) })
        case .concat:
            return x.reduce(0) { sum($0, $1.count) }
        case .take(let indices, _): return indices.count
        case .scatterAdd(_, let shape): return elementCount(shape)
        case .cumulativeSum: return x[0].count
        case .pool(let windows): return windows.outputShape(x[0].shape).map(elementCount) ?? 0
        case .convolution(let windows): return windows.isValid ? elementCount(windows.outputShape) : 0
        }
    }

    /// Computes the op: the output shape, element type and values. Throws on invalid shapes or arguments.
    func forward(_ x: [Tensor]) throws(EngineError) -> (shape: [Int], dtype: DType, values: [Float]) {
        _ = Allocator.tuned
        // The element functions below are closure literals, not operator references (`binary(+)`): a
        // literal is inlined into the kernel's loop, a reference is called once per element (10x slower).
        @inline(__always) func binary(_ f: (Float, Float) -> Float) throws(EngineError) -> ([Int], DType, [Float]) {
            let (a, b) = (x[0], x[1])
            guard let shape = broadcastShape(a.shape, b.shape) else {
                throw .shapeMismatch(op: name, a.shape, b.shape)
            }
            return (shape, Tensor.promote(a.dtype, b.dtype), Kernels.zip(a.scalars, a.shape, b.scalars, b.shape, to: shape, f))
        }
        @inline(__always) func unary(_ f: (Float) -> Float) -> ([Int], DType, [Float]) {
            (x[0].shape, x[0].dtype.isFloatingPoint ? x[0].dtype : .float32, Kernels.map(x[0].scalars, f))
        }
        switch self {
        case .variable: throw .invalidArgument("a variable has no forward computation")
        case .add: return try binary { $0 + $1 }
        case .subtract: return try binary { $0 - $1 }
        case .multiply: return try binary { $0 * $1 }
        case .divide:
            var result = try binary { $0 / $1 }
            if !result.1.isFloatingPoint { result.1 = .float32 }  // true division of integers gives floats
            return result
        case .floorDivide: return try binary { ($0 / $1).rounded(.down) }
        case .modulo: return try binary { a, b in a - (a / b).rounded(.down) * b }
        case .power: return try binary { Scalar.power($0, $1) }
        case .minimum: return try binary { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
        case .maximum: return try binary { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
        case .compare(let c):
            let (shape, _, values) = try binary { c.holds($0, $1) ? 1 : 0 }
            return (shape, .bool, values)
        case .negate: return (x[0].shape, x[0].dtype, Kernels.map(x[0].scalars) { -$0 })
        case .absolute: return (x[0].shape, x[0].dtype, Kernels.map(x[0].scalars) { Swift.abs($0) })
        case .exp: return unary { expf($0) }
        case .log: return unary { logf($0) }
        case .sqrt: return unary { $0.squareRoot() }
        case .sigmoid: return unary { Scalar.sigmoid($0) }
        case .logSigmoid: return unary { -Scalar.softplus(-$0) }
        case .softplus: return unary { Scalar.softplus($0) }
        case .tanh: return unary { tanhf($0) }
        case .floor: return unary { $0.rounded(.down) }
        case .ceil: return unary { $0.rounded(.up) }
        case .round: return unary { $0.rounded(.toNearestOrEven) }
        case .sign: return unary { Scalar.sign($0) }
        case .clip(let lower, let upper):
            return (x[0].shape, x[0].dtype, Kernels.map(x[0].scalars) { $0.isNaN ? .nan : Swift.min(Swift.max($0, lower), upper) })
        case .cast(let type): return (x[0].shape, type, Kernels.map(x[0].scalars) { Tensor.convert($0, to: type) })
        case .stopGradient: return (x[0].shape, x[0].dtype, x[0].scalars)
        case .select:
            let (cond, a, b) = (x[0], x[1], x[2])
            guard let ab = broadcastShape(a.shape, b.shape), let shape = broadcastShape(cond.shape, ab) else {
                throw .shapeMismatch(op: name, cond.shape, broadcastShape(a.shape, b.shape) ?? b.shape)
            }
            let c = Kernels.expand(cond.scalars, from: cond.shape, to: shape)
            let va = Kernels.expand(a.scalars, from: a.shape, to: shape)
            let vb = Kernels.expand(b.scalars, from: b.shape, to: shape)
            return (shape, Tensor.promote(a.dtype, b.dtype), Kernels.select(c, va, vb))
        case .reduce(let reduction, let axes, let keepDims):
            let t = x[0]
            var kept = t.shape
            for axis in axes { kept[axis] = 1 }
            let shape = keepDims ? kept : t.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
            let count = Float(axes.reduce(1) { $0 * t.shape[$1] })
            let values: [Float]
            switch reduction {
            case .sum: values = Kernels.reduceSum(t.scalars, shape: t.shape, axes: axes)
            case .mean: values = Kernels.reduceSum(t.scalars, shape: t.shape, axes: axes).map { $0 / count }
            case .max:
                guard count > 0 else { throw .invalidArgument("max of an empty tensor") }
                values = Kernels.reduce(t.scalars, shape: t.shape, axes: axes, initial: -.infinity) { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
            case .min:
                guard count > 0 else { throw .invalidArgument("min of an empty tensor") }
                values = Kernels.reduce(t.scalars, shape: t.shape, axes: axes, initial: .infinity) { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
            }
            let dtype = reduction == .mean && !t.dtype.isFloatingPoint ? .float32 : (t.dtype == .bool ? .int64 : t.dtype)
            return (shape, dtype, values)
        case .softmax(let axis), .logSoftmax(let axis):
            let t = x[0]
            var out = t.scalars
            let isLog = if case .logSoftmax = self { true } else { false }
            out.withUnsafeMutableBufferPointer { out in
                Kernels.forEachLine(t.shape, axis: axis) { start, stride, length in
                    var top = -Float.infinity
                    for k in 0..<length { top = Swift.max(top, out[start + k * stride]) }
                    var total: Float = 0
                    for k in 0..<length { total += expf(out[start + k * stride] - top) }
                    for k in 0..<length {
                        let shifted = out[start + k * stride] - top
                        out[start + k * stride] = isLog ? shifted - logf(total) : expf(shifted) / total
                    }
                }
            }
            return (t.shape, .float32, out)
        case .argmax(let axis):
            let t = x[0], values = t.scalars
            var out: [Float] = []
            Kernels.forEachLine(t.shape, axis: axis) { start, stride, length in
                var best = 0
                for k in 1..<Swift.max(length, 1) where values[start + k * stride] > values[start + best * stride] { best = k }
                out.append(Float(best))
            }
            // forEachLine visits (outer, inner) in row-major order, which is the output's order.
            var shape = t.shape
            shape.remove(at: axis)
            return (shape, .int64, out)
        case .oneHot(let depth):
            let t = x[0]
            var out = [Float](repeating: 0, count: t.scalars.count * depth)
            for (i, label) in t.scalars.enumerated() where label >= 0 && label < Float(depth) {
                out[i * depth + Int(label)] = 1
            }
            return (t.shape + [depth], .float32, out)
        case .reshape(let shape): return (shape, x[0].dtype, x[0].scalars)
        case .transpose(let perm):
            let t = x[0]
            let strides = contiguousStrides(t.shape)
            let shape = perm.map { t.shape[$0] }
            return (shape, t.dtype, Kernels.gather(t.scalars, shape: shape, strides: perm.map { strides[$0] }, base: 0))
        case .slice(let starts, let steps, let counts):
            let t = x[0]
            let strides = contiguousStrides(t.shape)
            let base = zip(starts, strides).reduce(0) { $0 + $1.0 * $1.1 }
            return (counts, t.dtype, Kernels.gather(t.scalars, shape: counts, strides: zip(steps, strides).map(*), base: base))
        case .pad(let before, let after):
            let t = x[0]
            let shape = t.shape.indices.map { t.shape[$0] + before[$0] + after[$0] }
            let strides = contiguousStrides(shape)
            let base = zip(before, strides).reduce(0) { $0 + $1.0 * $1.1 }
            return (shape, t.dtype, Kernels.scatter(t.scalars, shape: t.shape, into: elementCount(shape), strides: strides, base: base, accumulate: false))
        case .concat(let axis):
            var shape = x[0].shape
            for t in x.dropFirst() {
                guard t.shape.count == shape.count,
                      t.shape.indices.allSatisfy({ $0 == axis || t.shape[$0] == shape[$0] }) else {
                    throw .shapeMismatch(op: name, shape, t.shape)
                }
                shape[axis] += t.shape[axis]
            }
            // Each outer index takes one block from every input, in order.
            let outer = shape[..<axis].reduce(1, *), rowLength = shape[axis...].reduce(1, *)
            let out = [Float](unsafeUninitializedCapacity: outer * rowLength) { buffer, count in
                var offset = 0
                for t in x {
                    let block = t.shape[axis...].reduce(1, *)
                    t.scalars.withUnsafeBufferPointer { source in
                        guard block > 0 else { return }
                        Kernels.copyRows(from: source.baseAddress!, sourceStride: block, to: buffer.baseAddress! + offset,
                                         targetStride: rowLength, rows: outer, length: block)
                    }
                    offset += block
                }
                count = outer * rowLength
            }
            return (shape, x.map(\.dtype).reduce(x[0].dtype, Tensor.promote), out)
        case .take(let indices, let shape):
            let t = x[0]
            guard elementCount(shape) == indices.count else { throw .invalidArgument("gather: \(indices.count) indices do not fill \(Tensor.describe(shape))") }
            guard indices.allSatisfy({ $0 >= 0 && $0 < t.count }) else { throw .invalidArgument("gather: index out of range for a tensor of \(t.count) elements") }
            let values = t.scalars
            return (shape, t.dtype, indices.map { values[$0] })
        case .scatterAdd(let indices, let shape):
            let t = x[0], count = elementCount(shape)
            guard indices.count == t.count else { throw .invalidArgument("scatter_add: \(indices.count) indices for \(t.count) values") }
            guard indices.allSatisfy({ $0 >= 0 && $0 < count }) else { throw .invalidArgument("scatter_add: index out of range for \(Tensor.describe(shape))") }
            var out = [Float](repeating: 0, count: count)
            let values = t.scalars
            for (i, target) in indices.enumerated() { out[target] += values[i] }
            return (shape, t.dtype, out)
        case .cumulativeSum(let axis):
            let t = x[0]
            var out = t.scalars
            out.withUnsafeMutableBufferPointer { out in
                Kernels.forEachLine(t.shape, axis: axis) { start, stride, length in
                    for k in Swift.min(1, length)..<length { out[start + k * stride] += out[start + (k - 1) * stride] }
                }
            }
            return (t.shape, t.dtype == .bool ? .int64 : t.dtype, out)
        case .pool(let windows):
            let t = x[0]
            guard let table = windows.table(t.shape) else { throw .invalidArgument("pooling windows do not fit a tensor of shape \(Tensor.describe(t.shape))") }
            // Values and tables read once, through buffers: the loop runs a few million times per check of a
            // soft skeleton, and each property access of a class-held array retains and releases it.
            let values = t.scalars
            var out = [Float](repeating: 0, count: table.divisors.count)
            values.withUnsafeBufferPointer { values in
            table.offsets.withUnsafeBufferPointer { offsets in
            table.bounds.withUnsafeBufferPointer { bounds in
            out.withUnsafeMutableBufferPointer { out in
                for o in out.indices {
                    let (low, high) = (bounds[o], bounds[o + 1])
                    switch windows.kind {
                    case .max:
                        // NaN wins, as in both frameworks; an empty window (all padding) gives -inf.
                        var best = -Float.infinity
                        for m in low..<high { let v = values[offsets[m]]; if v > best || v.isNaN { best = v; if v.isNaN { break } } }
                        out[o] = best
                    case .average:
                        var total: Float = 0
                        for m in low..<high { total += values[offsets[m]] }
                        out[o] = total / table.divisors[o]
                    }
                }
            }}}}
            return (table.shape, t.dtype.isFloatingPoint ? t.dtype : .float32, out)
        case .convolution(let windows):
            guard windows.isValid, x[0].shape == windows.input, x[1].shape == windows.weight else {
                throw .invalidArgument("convolution windows do not fit an input of shape \(Tensor.describe(x[0].shape)) and a weight of shape \(Tensor.describe(x[1].shape))")
            }
            let dtype = Tensor.promote(x[0].dtype, x[1].dtype)
            return (windows.outputShape, dtype.isFloatingPoint ? dtype : .float32, windows.forward(x[0].scalars, x[1].scalars))
        }
    }

    /// The vector-Jacobian product: given the gradient `g` of the output, the gradient of each input
    /// (nil for inputs that need none or that the op cuts). Gradients have the inputs' shapes.
    func backward(_ x: [Tensor], output y: Tensor, gradient g: [Float], needed: [Bool]) -> [[Float]?] {
        /// For a broadcast binary op: reduces `local(a, b, y, g)` (computed at the output's shape) to each input.
        @inline(__always) func binary(_ da: ((Float, Float, Float, Float) -> Float)?, _ db: ((Float, Float, Float, Float) -> Float)?) -> [[Float]?] {
            let (a, b, n) = (x[0], x[1], g.count)
            let needA = needed[0] && da != nil, needB = needed[1] && db != nil
            guard needA || needB else { return [nil, nil] }
            // Each operand read at the output's shape: as it is when it has the output's size, through a
            // step of 0 when it is a single value, otherwise expanded once.
            func operand(_ t: Tensor) -> (values: [Float], step: Int) {
                t.count == n ? (t.scalars, 1) : t.count == 1 ? (t.scalars, 0) : (Kernels.expand(t.scalars, from: t.shape, to: y.shape), 1)
            }
            let (av, stepA) = operand(a), (bv, stepB) = operand(b)
            @inline(__always) func side(_ f: (Float, Float, Float, Float) -> Float, _ input: Tensor) -> [Float] {
                // Written through a zeroed array's buffer, as in `Kernels.map`, so that `f` is inlined.
                var local = [Float](repeating: 0, count: n)
                local.withUnsafeMutableBufferPointer { out in
                    av.withUnsafeBufferPointer { pa in
                        bv.withUnsafeBufferPointer { pb in
                            y.scalars.withUnsafeBufferPointer { py in
                                g.withUnsafeBufferPointer { pg in
                                    for i in 0..<n { out[i] = f(pa[i * stepA], pb[i * stepB], py[i], pg[i]) }
                                }
                            }
                        }
                    }
                }
                return Kernels.sumToShape(local, from: y.shape, to: input.shape)
            }
            return [needA ? side(da!, a) : nil, needB ? side(db!, b) : nil]
        }
        @inline(__always) func unary(_ f: (_ x: Float, _ y: Float, _ g: Float) -> Float) -> [[Float]?] {
            var local = [Float](repeating: 0, count: g.count)
            local.withUnsafeMutableBufferPointer { out in
                x[0].scalars.withUnsafeBufferPointer { px in
                    y.scalars.withUnsafeBufferPointer { py in
                        g.withUnsafeBufferPointer { pg in
                            for i in 0..<pg.count { out[i] = f(px[i], py[i], pg[i]) }
                        }
                    }
                }
            }
            return [local]
        }
        switch self {
        case .variable: return []
        case .add:
            return [needed[0] ? Kernels.sumToShape(g, from: y.shape, to: x[0].shape) : nil,
                    needed[1] ? Kernels.sumToShape(g, from: y.shape, to: x[1].shape) : nil]
        case .subtract:
            return [needed[0] ? Kernels.sumToShape(g, from: y.shape, to: x[0].shape) : nil,
                    needed[1] ? Kernels.sumToShape(g.map { -$0 }, from: y.shape, to: x[1].shape) : nil]
        case .multiply:
            if x[0].shape == y.shape && x[1].shape == y.shape {  // the common case, without copies
                return [needed[0] ? Kernels.zip(g, y.shape, x[1].scalars, y.shape, to: y.shape) { $0 * $1 } : nil,
                        needed[1] ? Kernels.zip(g, y.shape, x[0].scalars, y.shape, to: y.shape) { $0 * $1 } : nil]
            }
            return binary({ _, b, _, g in g * b }, { a, _, _, g in g * a })
        case .divide: return binary({ _, b, _, g in g / b }, { _, b, y, g in -g * y / b })
        case .modulo: return binary({ _, _, _, g in g }, { a, b, _, g in -g * (a / b).rounded(.down) })
        case .power:
            return binary({ a, b, _, g in b == 0 ? 0 : g * b * Scalar.power(a, b - 1) },
                          { a, _, y, g in a == 0 ? 0 : g * y * logf(a) })
        case .minimum, .maximum:
            return binary({ a, b, _, g in a == b ? g / 2 : (a == Swift.min(a, b)) == (self.isMinimum) ? g : 0 },
                          { a, b, _, g in a == b ? g / 2 : (b == Swift.min(a, b)) == (self.isMinimum) ? g : 0 })
        case .negate: return [g.map { -$0 }]
        case .absolute: return unary { x, _, g in g * Scalar.sign(x) }
        case .exp: return unary { _, y, g in g * y }
        case .log: return unary { x, _, g in g / x }
        case .sqrt: return unary { _, y, g in g * 0.5 / y }
        case .sigmoid: return unary { _, y, g in g * y * (1 - y) }
        case .logSigmoid: return unary { x, _, g in g * Scalar.sigmoid(-x) }
        case .softplus: return unary { x, _, g in g * Scalar.sigmoid(x) }
        case .tanh: return unary { _, y, g in g * (1 - y * y) }
        case .floor, .ceil, .round, .sign: return [[Float](repeating: 0, count: g.count)]
        case .clip(let lower, let upper): return unary { x, _, g in x >= lower && x <= upper ? g : 0 }
        case .cast(let type): return [type.isFloatingPoint ? g : nil]
        case .floorDivide, .compare: return [nil, nil]
        case .stopGradient, .argmax, .oneHot: return [nil]
        case .select:
            let c = Kernels.expand(x[0].scalars, from: x[0].shape, to: y.shape)
            let zeros = [Float](repeating: 0, count: g.count)
            return [nil,
                    needed[1] ? Kernels.sumToShape(Kernels.select(c, g, zeros), from: y.shape, to: x[1].shape) : nil,
                    needed[2] ? Kernels.sumToShape(Kernels.select(c, zeros, g), from: y.shape, to: x[2].shape) : nil]
        case .reduce(let reduction, let axes, _):
            let t = x[0]
            var kept = t.shape
            for axis in axes { kept[axis] = 1 }
            switch reduction {
            case .sum: return [Kernels.expand(g, from: kept, to: t.shape)]
            case .mean:
                let count = Float(axes.reduce(1) { $0 * t.shape[$1] })
                return [Kernels.expand(g.map { $0 / count }, from: kept, to: t.shape)]
            case .max, .min:
                // Ties share the gradient equally, as TensorFlow's reduce_max and PyTorch's amax do.
                let top = Kernels.expand(y.scalars, from: kept, to: t.shape)
                let values = t.scalars
                let hits = (0..<values.count).map { values[$0] == top[$0] ? Float(1) : 0 }
                let ties = Kernels.expand(Kernels.reduceSum(hits, shape: t.shape, axes: axes), from: kept, to: t.shape)
                let spread = Kernels.expand(g, from: kept, to: t.shape)
                return [(0..<hits.count).map { hits[$0] * spread[$0] / ties[$0] }]
            }
        case .softmax(let axis):
            var out = [Float](repeating: 0, count: g.count)
            let probabilities = y.scalars
            out.withUnsafeMutableBufferPointer { out in
                Kernels.forEachLine(y.shape, axis: axis) { start, stride, length in
                    var dot: Float = 0
                    for k in 0..<length { dot += g[start + k * stride] * probabilities[start + k * stride] }
                    for k in 0..<length { let i = start + k * stride; out[i] = probabilities[i] * (g[i] - dot) }
                }
            }
            return [out]
        case .logSoftmax(let axis):
            var out = [Float](repeating: 0, count: g.count)
            let logProbabilities = y.scalars
            out.withUnsafeMutableBufferPointer { out in
                Kernels.forEachLine(y.shape, axis: axis) { start, stride, length in
                    var total: Float = 0
                    for k in 0..<length { total += g[start + k * stride] }
                    for k in 0..<length { let i = start + k * stride; out[i] = g[i] - expf(logProbabilities[i]) * total }
                }
            }
            return [out]
        case .reshape: return [g]
        case .transpose(let perm):
            var inverse = perm
            for (i, p) in perm.enumerated() { inverse[p] = i }
            let strides = contiguousStrides(y.shape)
            return [Kernels.gather(g, shape: x[0].shape, strides: inverse.map { strides[$0] }, base: 0)]
        case .slice(let starts, let steps, let counts):
            let strides = contiguousStrides(x[0].shape)
            let base = zip(starts, strides).reduce(0) { $0 + $1.0 * $1.1 }
            return [Kernels.scatter(g, shape: counts, into: x[0].count, strides: zip(steps, strides).map(*), base: base, accumulate: true)]
        case .pad(let before, _):
            let strides = contiguousStrides(y.shape)
            let base = zip(before, strides).reduce(0) { $0 + $1.0 * $1.1 }
            return [Kernels.gather(g, shape: x[0].shape, strides: strides, base: base)]
        case .concat(let axis):
            let outer = y.shape[..<axis].reduce(1, *), rowLength = y.shape[axis...].reduce(1, *)
            var offset = 0
            return x.enumerated().map { index, t in
                let block = t.shape[axis...].reduce(1, *)
                defer { offset += block }
                guard needed[index] else { return nil }
                return [Float](unsafeUninitializedCapacity: t.count) { buffer, count in
                    g.withUnsafeBufferPointer { source in
                        guard block > 0 else { return }
                        Kernels.copyRows(from: source.baseAddress! + offset, sourceStride: rowLength, to: buffer.baseAddress!,
                                         targetStride: block, rows: outer, length: block)
                    }
                    count = t.count
                }
            }
        case .take, .scatterAdd, .cumulativeSum, .pool:
            return indexedBackward(x, output: y, gradient: g)
        case .convolution(let windows):
            return windows.backward(x[0].scalars, x[1].scalars, gradient: g, needed: needed)
        }
    }

    /// The gradients of the ops that move elements by index (gather, scatter-add, cumsum, pooling).
    private func indexedBackward(_ x: [Tensor], output y: Tensor, gradient g: [Float]) -> [[Float]?] {
        switch self {
        case .take(let indices, _):
            var out = [Float](repeating: 0, count: x[0].count)
            for (i, source) in indices.enumerated() { out[source] += g[i] }
            return [out]
        case .scatterAdd(let indices, _):
            return [indices.map { g[$0] }]
        case .cumulativeSum(let axis):
            var out = g
            out.withUnsafeMutableBufferPointer { out in
                Kernels.forEachLine(y.shape, axis: axis) { start, stride, length in
                    guard length > 1 else { return }
                    for k in (0..<(length - 1)).reversed() { out[start + k * stride] += out[start + (k + 1) * stride] }
                }
            }
            return [out]
        case .pool(let windows):
            guard let table = windows.table(x[0].shape) else { return [nil] }
            var out = [Float](repeating: 0, count: x[0].count)
            let values = x[0].scalars
            values.withUnsafeBufferPointer { values in
            table.offsets.withUnsafeBufferPointer { offsets in
            table.bounds.withUnsafeBufferPointer { bounds in
            out.withUnsafeMutableBufferPointer { out in
                for o in 0..<table.divisors.count {
                    let (low, high) = (bounds[o], bounds[o + 1])
                    switch windows.kind {
                    case .max:
                        // The whole gradient goes to the first maximum of the window (PyTorch's max_pool
                        // backward and TensorFlow's MaxPoolGrad route it to one element, not shared by ties).
                        var best = -Float.infinity, chosen = -1
                        for m in low..<high {
                            let v = values[offsets[m]]
                            if chosen < 0 || v > best || v.isNaN { best = v; chosen = offsets[m]; if v.isNaN { break } }
                        }
                        if chosen >= 0 { out[chosen] += g[o] }
                    case .average:
                        for m in low..<high { out[offsets[m]] += g[o] / table.divisors[o] }
                    }
                }
            }}}}
            return [out]
        default:
            return x.map { _ in nil }
        }
    }

    /// `backward` on the gradient as it flows: a uniform gradient takes the op's shortcut when it has one.
    func backward(_ x: [Tensor], output y: Tensor, adjoint: Adjoint, needed: [Bool]) -> [Adjoint?] {
        if case .uniform(let c, _) = adjoint, let shortcut = uniformBackward(x, output: y, value: c, needed: needed) {
            return shortcut
        }
        return backward(x, output: y, gradient: adjoint.values, needed: needed).map { $0.map(Adjoint.init) }
    }

    /// Shortcuts for a gradient that is one value `c` at every position of the output (what a sum or a
    /// mean sends back): exactly the numbers `backward` computes on the expanded gradient, without
    /// expanding it. nil: no shortcut, `backward` gets the values.
    func uniformBackward(_ x: [Tensor], output y: Tensor, value c: Float, needed: [Bool]) -> [Adjoint?]? {
        let n = y.count
        // Operands of the output's exact shape (a shape differing only by 1s would go through sumToShape,
        // which turns -0 into 0).
        let sameShapes = x.allSatisfy { $0.shape == y.shape }
        switch self {
        case .add:
            return sameShapes ? [needed[0] ? .uniform(c, count: n) : nil, needed[1] ? .uniform(c, count: n) : nil] : nil
        case .subtract:
            return sameShapes ? [needed[0] ? .uniform(c, count: n) : nil, needed[1] ? .uniform(-c, count: n) : nil] : nil
        case .multiply:
            guard sameShapes else { return nil }
            return [needed[0] ? Adjoint(Kernels.map(x[1].scalars) { c * $0 }) : nil,
                    needed[1] ? Adjoint(Kernels.map(x[0].scalars) { c * $0 }) : nil]
        case .negate: return [.uniform(-c, count: n)]
        case .reshape: return [.uniform(c, count: n)]
        case .cast(let type): return [type.isFloatingPoint ? .uniform(c, count: n) : nil]
        case .reduce(.sum, _, _): return [.uniform(c, count: x[0].count)]
        case .reduce(.mean, let axes, _):
            let count = Float(axes.reduce(1) { $0 * x[0].shape[$1] })
            return [.uniform(c / count, count: x[0].count)]
        case .reduce(.max, _, _), .reduce(.min, _, _), .variable, .divide, .floorDivide, .modulo, .power, .minimum,
             .maximum, .compare, .absolute, .exp, .log, .sqrt, .sigmoid, .logSigmoid, .softplus, .tanh, .floor, .ceil,
             .round, .sign, .clip, .stopGradient, .select, .softmax, .logSoftmax, .argmax, .oneHot, .transpose, .slice,
             .pad, .concat, .take, .scatterAdd, .cumulativeSum, .pool, .convolution:
            return nil
        }
    }

    private var isMinimum: Bool { if case .minimum = self { true } else { false } }

    /// Which inputs can receive gradient through this op.
    func passesGradient(toInput index: Int) -> Bool {
        switch gradientClass {
        case .cut: false
        case .smooth, .zeroAlmostEverywhere: if case .select = self { index != 0 } else { true }
        }
    }
}
