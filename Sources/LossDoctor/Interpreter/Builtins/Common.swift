/// Builders for the entries the framework tables share: one definition of "a unary op", "a reduction",
/// "a cast", reused by `K.*`, `tf.*`, `ops.*`, `torch.*`, `np.*` and tensor methods.
enum Common {
    /// An elementwise function of one tensor; `signature` names the tensor first (`"x"`, `"input"`).
    static func unary(_ signature: String = "x", _ op: @escaping @Sendable (Tensor) throws -> Tensor) -> BuiltinFunction {
        let name = firstName(String(signature.split(separator: ",").first ?? ""))
        return { call in .tensor(try op(call.bind(signature).tensor(name))) }
    }

    /// An elementwise function of two tensors.
    static func binary(_ signature: String = "x, y", _ op: @escaping @Sendable (Tensor, Tensor) throws -> Tensor) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            return .tensor(try op(args.tensor(names[0]), args.tensor(names[1])))
        }
    }

    /// A reduction. `signature` lists the tensor, the axes and the keep-dims flag in that order, e.g.
    /// `"x, axis=None, keepdims=False"` (Keras, NumPy) or `"input, dim|axis=None, keepdim=False, *, dtype=None"` (PyTorch).
    static func reduction(_ reduction: Reduction, _ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }.filter { $0 != "*" }
        return { call in
            let args = try call.bind(signature)
            return .tensor(try args.tensor(names[0]).reduce(reduction, axes: args.axes(names[1]), keepDims: args.bool(names[2])))
        }
    }

    /// The first name of a signature entry: `"axis|dim=None"` -> `axis`.
    static func firstName(_ entry: String) -> String {
        String(entry.trimmingCharacters().split(separator: "=").first?.split(separator: "|").first ?? "")
            .trimmingCharacters()
    }

    /// A cast to `type`; casting to an integer type is reported as LD602 integer-cast.
    static func cast(_ x: Tensor, to type: DType, call: Call) throws -> Tensor {
        // Only a cast on the prediction's gradient path cuts training; casting a class-index target to long for
        // `one_hot` is the PyTorch idiom. A mask cast to 8 bits still overflows when summed.
        if !type.isFloatingPoint && type != .bool && (x.dependsOnVariable || (x.dtype.isFloatingPoint && (type == .uint8 || type == .int8))) {
            call.notice(.integerCast(to: type))
        }
        return try x.cast(type)
    }

    /// A Python scalar pulled out of a tensor (`float(t)`, `t.item()`, `t.numpy()`): on a one-element tensor
    /// it leaves the graph; on a larger one the frameworks raise, and LossDoctor goes on as if it were a cast.
    static func scalarConversion(_ x: Tensor, api: String, call: Call) throws -> Value {
        if x.count != 1 {
            call.notice(.scalarOfTensor(api: api, shape: x.shape))
            return .tensor(try x.cast(.float32))
        }
        return .tensor(try x.stopGradient().reshaped([]))
    }
}

extension Common {
    /// Matrix product of 1-D or 2-D tensors (`K.dot`, `@`, `torch.matmul`), as a broadcast product summed
    /// over the shared axis: slower than BLAS, exact in its gradient.
    static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        switch (a.shape.count, b.shape.count) {
        case (1, 1): return try (a * b).sum()
        case (2, 2):
            guard a.shape[1] == b.shape[0] else { throw EngineError.shapeMismatch(op: "matmul", a.shape, b.shape) }
            return try (a.reshaped([a.shape[0], a.shape[1], 1]) * b.reshaped([1, b.shape[0], b.shape[1]])).sum(axes: [1])
        case (2, 1): return try matmul(a, b.reshaped([b.count, 1])).reshaped([a.shape[0]])
        case (1, 2): return try matmul(a.reshaped([1, a.count]), b).reshaped([b.shape[1]])
        default: throw EngineError.invalidArgument("matrix products of rank \(a.shape.count) and \(b.shape.count) are not supported")
        }
    }

    /// Inserts an axis of extent 1.
    static func expandDims(_ x: Tensor, axis: Int) throws -> Tensor {
        let rank = x.shape.count + 1
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw EngineError.invalidArgument("axis \(axis) is out of range for expand_dims") }
        var shape = x.shape
        shape.insert(1, at: a)
        return try x.reshaped(shape)
    }

    /// Removes axes of extent 1 (all of them when `axes` is nil).
    static func squeeze(_ x: Tensor, axes: [Int]?) throws -> Tensor {
        let rank = x.shape.count
        let targets = try axes.map { list -> [Int] in
            guard let normalized = normalizedAxes(list, rank: rank) else { throw EngineError.invalidArgument("axis \(list) is out of range for squeeze") }
            return normalized
        } ?? x.shape.indices.filter { x.shape[$0] == 1 }
        for a in targets where x.shape[a] != 1 {
            throw EngineError.invalidArgument("cannot squeeze axis \(a) with size \(x.shape[a])")
        }
        return try x.reshaped(x.shape.indices.filter { !targets.contains($0) }.map { x.shape[$0] })
    }
}

// MARK: Builders shared by the framework tables

extension Common {
    /// Whether the file being evaluated imports PyTorch: a few tensor methods mean different things in
    /// PyTorch and NumPy (`t.max(1)` is `(values, indices)` in PyTorch, an array in NumPy).
    static func usesTorch(_ call: Call) -> Bool {
        call.interpreter.globals.variables.values.contains { value in
            if case .module(let path) = value { return path == "torch" || path.hasPrefix("torch.") || path == "F" }
            if case .builtin(let b) = value { return b.name.hasPrefix("torch.") || b.name.hasPrefix("F.") }
            return false
        }
    }

    /// The tensors of a list or tuple argument (`concat`, `stack`, `add_n`).
    static func tensorList(_ value: Value, call: Call) throws -> [Tensor] {
        try call.interpreter.iterate(value, at: call.site).map { try call.interpreter.tensor($0, site: call.site) }
    }

    /// A shape given as one sequence or as the remaining positional ints (`view(-1)`, `view((4, -1))`,
    /// `torch.ones(2, 3)`): `positional` are the values after the receiver.
    static func shape(_ positional: [Value], call: Call) throws -> [Int] {
        let items = positional.count == 1 ? (positional[0].sequence ?? [positional[0]]) : positional
        return try items.map { item in
            guard let i = try call.interpreter.integer(item) else {
                throw call.error("TypeError: \(call.name)(): sizes must be ints, not \(item.typeName)")
            }
            return i
        }
    }

    /// The shape of a tensor as a tuple of Python ints (`K.shape`, `tf.shape`, `ops.shape`, `t.shape`).
    static func shapeTuple(_ t: Tensor) -> Value { .tuple(t.shape.map { .int($0) }) }

    /// Joins a list of tensors along an existing axis: `"tensors, axis=0"` (the list first, then the axis).
    static func concat(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            return .tensor(try Tensor.concat(tensorList(args[names[0]], call: call), axis: args.int(names[1])))
        }
    }

    /// Joins a list of tensors along a new axis: `"tensors, axis=0"`.
    static func stack(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            return .tensor(try Tensor.stack(tensorList(args[names[0]], call: call), axis: args.int(names[1])))
        }
    }

    /// `tf.unstack` / `torch.unbind`: the slices along an axis, as a list (TensorFlow) or a tuple (PyTorch).
    static func unstack(_ signature: String, axis axisName: String, asList: Bool) -> BuiltinFunction {
        let input = firstName(String(signature.split(separator: ",")[0]))
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(input)
            let axis = try args.int(axisName)
            guard axis >= -x.shape.count, axis < x.shape.count else {
                throw call.error("ValueError: axis \(axis) is out of range for a tensor of rank \(x.shape.count)")
            }
            let a = axis < 0 ? axis + x.shape.count : axis
            var kept = x.shape
            kept.remove(at: a)
            try call.interpreter.allocate(items: x.shape[a], at: call.site)
            let slices = try (0..<x.shape[a]).map { i -> Value in
                let starts = x.shape.indices.map { $0 == a ? i : 0 }
                let counts = x.shape.indices.map { $0 == a ? 1 : x.shape[$0] }
                return .tensor(try x.slice(starts: starts, steps: x.shape.map { _ in 1 }, counts: counts).reshaped(kept))
            }
            return asList ? .list(ListBox(slices)) : .tuple(slices)
        }
    }

    /// A cast to a fixed type (`t.float()`, `t.long()`); integer types report LD602.
    static func castTo(_ type: DType, _ signature: String = "x") -> BuiltinFunction {
        let name = firstName(String(signature.split(separator: ",").first ?? ""))
        return { call in .tensor(try cast(call.bind(signature).tensor(name), to: type, call: call)) }
    }

    /// A cast to the dtype argument: `"x, dtype"` (`tf.cast`, `ops.cast`, `t.astype`).
    static func castFunction(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            guard let type = try args.dtype(names[1]) else { throw call.error("\(call.name)() needs a dtype") }
            return .tensor(try cast(args.tensor(names[0]), to: type, call: call))
        }
    }

    /// A constant of the shape of a tensor: `"x, dtype=None"` (`ones_like`, `zeros_like`); the result
    /// keeps the input's dtype unless one is given, and never depends on the prediction.
    static func filledLike(_ value: Float, _ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(names[0])
            let type = try names.contains("dtype") ? args.dtype("dtype") : nil
            return .tensor(try Tensor.filled(value, shape: x.shape, dtype: type ?? x.dtype))
        }
    }

    /// A constant of a given shape: `"shape, dtype=None"` (`tf.ones`, `np.zeros`); float32 by default.
    static func filled(_ value: Float, _ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            let shape = try Common.shape([args[names[0]]], call: call)
            return .tensor(try Tensor.filled(value, shape: shape, dtype: try args.dtype("dtype") ?? .float32))
        }
    }

    /// A tensor from Python data: `"value, dtype=None"` (`tf.constant`, `np.array`, `torch.tensor`).
    /// Tensors pass through (with the dtype applied); ints give int64 and floats float32, as in PyTorch.
    static func constant(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            let x = try call.interpreter.tensor(args[names[0]], site: call.site)
            guard let type = try args.dtype("dtype"), type != x.dtype else { return .tensor(x) }
            return .tensor(try cast(x, to: type, call: call))
        }
    }

    /// Clamps into `[lower, upper]`, either bound optional (None): `"x, min=None, max=None"`.
    /// Numbers use the clip op (gradient 1 inside the closed range); tensor bounds use maximum/minimum.
    static func clip(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            var x = try args.tensor(names[0])
            if args.isNone(names[1]) && args.isNone(names[2]) {
                throw call.error("\(call.name)(): at least one of '\(names[1])' and '\(names[2])' must not be None")
            }
            func bound(_ name: String) throws -> (number: Float?, tensor: Tensor?) {
                if args.isNone(name) { return (nil, nil) }
                if case .tensor(let t) = args[name], t.count > 1 { return (nil, t) }
                return (try args.float(name), nil)
            }
            let (low, high) = (try bound(names[1]), try bound(names[2]))
            if low.tensor == nil && high.tensor == nil {
                return .tensor(try x.clipped(low.number ?? -.infinity, high.number ?? .infinity))
            }
            if let t = low.tensor { x = try Tensor.maximum(x, t) } else if let n = low.number { x = try x.clipped(n, .infinity) }
            if let t = high.tensor { x = try Tensor.minimum(x, t) } else if let n = high.number { x = try x.clipped(-.infinity, n) }
            return .tensor(x)
        }
    }

    /// softmax or log-softmax along the axis argument: `"x, axis=-1"`.
    static func softmax(_ signature: String, log: Bool) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(names[0])
            let axis = args.isNone(names[1]) ? -1 : try args.int(names[1])
            return .tensor(try log ? x.logSoftmax(axis: axis) : x.softmax(axis: axis))
        }
    }

    /// Index of the maximum: `"x, axis=None, keepdims=False"`. A None axis means the flattened tensor
    /// (NumPy, keras.ops, PyTorch) unless `noneAxis` says otherwise (TensorFlow: axis 0).
    static func argmax(_ signature: String, noneAxis: Int? = nil) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(names[0])
            let keep = names.count > 2 ? try args.bool(names[2]) : false
            if args.isNone(names[1]) {
                if let axis = noneAxis { return .tensor(try x.argmax(axis: axis)) }
                let flat = try x.flattened().argmax(axis: 0)
                return .tensor(keep ? try flat.reshaped(x.shape.map { _ in 1 }) : flat)
            }
            let axis = try args.int(names[1])
            let result = try x.argmax(axis: axis)
            return .tensor(keep ? try expandDims(result, axis: axis < 0 ? axis + x.shape.count : axis) : result)
        }
    }

    /// `where(condition, x, y)`: `"condition, x=None, y=None"`; the one-argument form (indices) is not modelled.
    static func select(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            guard !args.isNone(names[1]), !args.isNone(names[2]) else {
                throw InterpreterError(.unsupportedCall, "`\(call.name)` with only a condition (the indices form) is not a call LossDoctor models", at: call.site,
                                       hint: "use the three-argument form `where(condition, x, y)`")
            }
            return .tensor(try Tensor.select(args.tensor(names[0]), args.tensor(names[1]), args.tensor(names[2])))
        }
    }

    /// Reshape to the shape argument: `"x, shape"`.
    static func reshape(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            return .tensor(try args.tensor(names[0]).reshaped(shape([args[names[1]]], call: call)))
        }
    }

    /// Inserts an axis: `"x, axis"`.
    static func expandDims(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            return .tensor(try expandDims(args.tensor(names[0]), axis: args.int(names[1])))
        }
    }

    /// Removes axes of extent 1: `"x, axis=None"`. PyTorch's `squeeze(dim)` on an axis whose extent is
    /// not 1 leaves the tensor as it is; NumPy and TensorFlow raise (`lenient`).
    static func squeeze(_ signature: String, lenient: Bool = false) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(names[0])
            var axes = try args.axes(names[1])
            if lenient, let list = axes {
                axes = list.filter { a in normalizedAxes([a], rank: x.shape.count).map { x.shape[$0[0]] == 1 } ?? true }
            }
            return .tensor(try squeeze(x, axes: axes))
        }
    }

    /// Permutes axes (all reversed by default): `"x, axes=None"`.
    static func transpose(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            return .tensor(try args.tensor(names[0]).transposed(args.axes(names[1])))
        }
    }

    /// Swaps two axes (PyTorch `transpose(input, dim0, dim1)`).
    static func swapAxes(_ x: Tensor, _ a: Int, _ b: Int) throws -> Tensor {
        guard let axes = normalizedAxes([a, b], rank: x.shape.count) else {
            throw EngineError.invalidArgument("dimension out of range (expected to be in range of [\(-x.shape.count), \(x.shape.count - 1)], but got \(Swift.max(a, b)))")
        }
        var perm = Array(0..<x.shape.count)
        perm.swapAt(axes[0], axes[1])
        return try x.transposed(perm)
    }

    /// Flattens the axes from `start` to `end` (PyTorch `flatten(input, start_dim, end_dim)`).
    static func flatten(_ x: Tensor, start: Int, end: Int) throws -> Tensor {
        guard !x.shape.isEmpty else { return try x.reshaped([1]) }
        guard let axes = normalizedAxes([start, end], rank: x.shape.count), axes[0] <= axes[1] else {
            throw EngineError.invalidArgument("flatten() has invalid dimensions start_dim=\(start), end_dim=\(end)")
        }
        let merged = x.shape[axes[0]...axes[1]].reduce(1, *)
        return try x.reshaped(Array(x.shape[..<axes[0]]) + [merged] + Array(x.shape[(axes[1] + 1)...]))
    }

    /// One-hot encoding with the new axis at `axis` (-1: last) and optional on/off values (`tf.one_hot`).
    static func oneHot(_ indices: Tensor, depth: Int, axis: Int = -1, on: Float = 1, off: Float = 0) throws -> Tensor {
        var result = try indices.oneHot(depth: depth)
        if on != 1 || off != 0 { result = try result * Tensor(on - off) + Tensor(off) }
        let rank = result.shape.count
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw EngineError.invalidArgument("one_hot axis \(axis) is out of range") }
        guard a != rank - 1 else { return result }
        var perm = Array(0..<(rank - 1))
        perm.insert(rank - 1, at: a)
        return try result.transposed(perm)
    }

    /// log(sum(exp(x))) over `axes`, stable: the maximum is subtracted as a constant (its gradient cancels).
    static func logSumExp(_ x: Tensor, axes: [Int]?, keepDims: Bool) throws -> Tensor {
        let top = try x.max(axes: axes, keepDims: true).stopGradient()
        let finiteTop = try Tensor.select(top.abs().compare(.equal, Tensor(.infinity)), Tensor(0), top)
        let result = try (x - finiteTop).exp().sum(axes: axes, keepDims: true).log() + finiteTop
        if keepDims { return result }
        return try result.reshaped(try x.sum(axes: axes).shape)
    }
}

// MARK: Losses shared by several frameworks

extension Common {
    /// Binary cross-entropy on logits with an optional positive-class weight, per element:
    /// `pos_weight * y * softplus(-z) + (1 - y) * softplus(z)` (PyTorch `pos_weight`, TensorFlow
    /// `weighted_cross_entropy_with_logits`); without a weight, `LossMath.binaryCrossEntropyWithLogits`.
    /// Notes the logits input so that the loss is probed with logits.
    /// `tensorFlow`: TensorFlow's own formula (`LossMath.tensorFlowBinaryCrossEntropyWithLogits`), for the
    /// `tf.` and Keras entries.
    static func binaryCrossEntropyWithLogits(_ y: Tensor, _ z: Tensor, posWeight: Tensor? = nil, tensorFlow: Bool = false,
                                             call: Call) throws -> Tensor {
        call.interpreter.noteLogitsInput(z, at: call.site)
        guard let posWeight else {
            return try tensorFlow ? LossMath.tensorFlowBinaryCrossEntropyWithLogits(y, z) : LossMath.binaryCrossEntropyWithLogits(y, z)
        }
        return try posWeight * y * (-z).softplus() + (1 - y) * z.softplus()
    }

    /// PyTorch `F.binary_cross_entropy`, per element: each log is clamped below at -100, so a confident
    /// mistake costs 100 (not inf). The argument is first clipped to the smallest float32 (log = -103.3,
    /// clamped to -100), so `log(0)` is never evaluated and the gradient stays finite, as PyTorch's own
    /// backward is (it divides by max(p(1-p), 1e-12)). Clip and maximum keep the log traceable to a
    /// sigmoid before it (LD203). [aten/src/ATen/native/Loss.cpp]
    static func torchBinaryCrossEntropy(_ p: Tensor, _ y: Tensor) throws -> Tensor {
        func clampedLog(_ q: Tensor) throws -> Tensor {
            try Tensor.maximum(q.clipped(.leastNonzeroMagnitude, .infinity).log(), Tensor(-100))
        }
        return try -(y * clampedLog(p) + (1 - y) * clampedLog(1 - p))
    }

    /// Keras `categorical_crossentropy` (TensorFlow backend): on probabilities, renormalises along `axis`
    /// and clips to [eps, 1 - eps]; on logits, `-sum(target * log_softmax(output))`.
    static func kerasCategoricalCrossEntropy(_ target: Tensor, _ output: Tensor, fromLogits: Bool, axis: Int, call: Call) throws -> Tensor {
        if fromLogits {
            call.interpreter.noteLogitsInput(output, at: call.site)
            return try -(target * output.logSoftmax(axis: axis)).sum(axes: [axis])
        }
        let normalized = try output / output.sum(axes: [axis], keepDims: true)
        let clipped = try normalized.clipped(LossMath.kerasEpsilon, 1 - LossMath.kerasEpsilon)
        return try -(target * clipped.log()).sum(axes: [axis])
    }

    /// Keras `binary_crossentropy` per element (TensorFlow backend): same-shape check, then the logits or
    /// the clipped-probability form.
    static func kerasBinaryCrossEntropy(_ target: Tensor, _ output: Tensor, fromLogits: Bool, call: Call) throws -> Tensor {
        guard target.shape == output.shape else {
            throw call.error("ValueError: Arguments `target` and `output` must have the same shape. Received: target.shape=\(Tensor.describe(target.shape)), output.shape=\(Tensor.describe(output.shape))")
        }
        if fromLogits { return try binaryCrossEntropyWithLogits(target, output, tensorFlow: true, call: call) }
        return try LossMath.kerasBinaryCrossEntropy(target, output)
    }

    /// PyTorch's `reduction=` of a per-element loss, honouring the deprecated `size_average`/`reduce`.
    static func torchReduction(_ loss: Tensor, _ args: Arguments) throws -> Tensor {
        var reduction = try args.string("reduction") ?? "mean"
        if !args.isNone("size_average") || !args.isNone("reduce") {
            let reduce = args.isNone("reduce") ? true : try args.bool("reduce")
            let average = args.isNone("size_average") ? true : try args.bool("size_average")
            reduction = !reduce ? "none" : average ? "mean" : "sum"
        }
        switch reduction {
        case "mean": return try loss.mean()
        case "sum": return try loss.sum()
        case "none": return loss
        default: throw args.call.error("ValueError: \(reduction) is not a valid value for reduction")
        }
    }

    /// A loss class (`nn.BCELoss(...)`, `keras.losses.Dice(...)`): calling the class binds its constructor
    /// arguments and returns a callable that runs `function` with them as keywords.
    static func lossClass(_ constructor: String, _ function: @escaping BuiltinFunction) -> BuiltinFunction {
        let names = BuiltinSignature.parse(constructor).parameters.map { $0.names[0] }
        return { call in
            let args = try call.bind(constructor)
            let captured = names.map { ($0, args[$0]) }
            return .builtin(BuiltinValue(name: call.name, function: function, receiver: nil, captured: captured, isModule: true))
        }
    }

    /// A PyTorch module without parameters (`nn.Sigmoid()`, `nn.Softmax(dim=1)`) as a callable.
    static func module(_ constructor: String, _ function: @escaping BuiltinFunction) -> BuiltinFunction {
        lossClass(constructor, function)
    }
}

// MARK: Elementwise families

extension Common {
    /// Elementwise functions of one tensor, by their NumPy names: every table takes its entries from here.
    static let unaryMath: [String: @Sendable (Tensor) throws -> Tensor] = [
        "log": { try $0.log() }, "log1p": { try (1 + $0).log() }, "exp": { try $0.exp() }, "sqrt": { try $0.sqrt() },
        "square": { try $0.squared() }, "abs": { try $0.abs() }, "negative": { try -$0 }, "reciprocal": { try 1 / $0 },
        "tanh": { try $0.tanh() },
        // From exp (as the frameworks do): overflows to inf past |x| ~ 89 in float32, like torch.cosh.
        "cosh": { x in try ((x.exp() + (-x).exp()) / 2) }, "sinh": { x in try ((x.exp() - (-x).exp()) / 2) },
        "sigmoid": { try $0.sigmoid() }, "log_sigmoid": { try $0.logSigmoid() },
        "softplus": { try $0.softplus() }, "relu": { try Tensor.maximum($0, 0) }, "round": { try $0.rounded() },
        "floor": { try $0.floor() }, "ceil": { try $0.ceil() }, "sign": { try $0.sign() },
        "logical_not": { try $0.compare(.equal, Tensor(0)) }, "stop_gradient": { try $0.stopGradient() },
    ]

    /// Elementwise functions of two tensors, by their NumPy names.
    static let binaryMath: [String: @Sendable (Tensor, Tensor) throws -> Tensor] = [
        "add": { try $0 + $1 }, "subtract": { try $0 - $1 }, "multiply": { try $0 * $1 }, "divide": { try $0 / $1 },
        "floor_divide": { try $0.floorDivided(by: $1) }, "mod": { try $0 % $1 }, "power": { try $0.pow($1) },
        "maximum": { try Tensor.maximum($0, $1) }, "minimum": { try Tensor.minimum($0, $1) },
        "greater": { try $0.compare(.greater, $1) }, "greater_equal": { try $0.compare(.greaterEqual, $1) },
        "less": { try $0.compare(.less, $1) }, "less_equal": { try $0.compare(.lessEqual, $1) },
        "equal": { try $0.compare(.equal, $1) }, "not_equal": { try $0.compare(.notEqual, $1) },
        "logical_and": { try ($0.cast(.bool) * $1.cast(.bool)).cast(.bool) },
        "logical_or": { try Tensor.maximum($0.cast(.bool), $1.cast(.bool)).cast(.bool) },
        "matmul": { try matmul($0, $1) },
    ]

    /// Table entries for elementwise APIs: each name is `tableName` or `tableName=numpyName`
    /// (`"pow=power"`), with the table's signatures for one and two tensors (`"x, name=None"`, `"x, y, name=None"`).
    static func elementwise(_ prefix: String, _ names: [String], unary unarySignature: String, binary binarySignature: String) -> [String: BuiltinFunction] {
        var table: [String: BuiltinFunction] = [:]
        for entry in names {
            let parts = entry.split(separator: "=").map(String.init)
            let (name, math) = (parts[0], parts.count > 1 ? parts[1] : parts[0])
            if let op = unaryMath[math] {
                table[prefix + name] = unary(unarySignature, op)
            } else if let op = binaryMath[math] {
                table[prefix + name] = binary(binarySignature, op)
            } else {
                preconditionFailure("no elementwise function named \(math)")
            }
        }
        return table
    }
}
