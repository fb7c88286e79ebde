/// PyTorch (`torch.*`, `torch.nn.functional` as `F.*`, and the `torch.nn` loss and activation modules),
/// as PyTorch defines them: `dim`/`keepdim` (NumPy's `axis`/`keepdims` accepted too), `torch.max(x, dim)`
/// returns `(values, indices)`, losses reduce with `reduction='mean'`, `F.binary_cross_entropy` clamps
/// each log at -100. `torch.nn.Module` and other base classes are deliberately absent: they stay
/// namespaces, so that user classes can derive from them.
enum TorchAPI {
    /// `torch.Size([4, 1])`, as PyTorch prints shapes in its messages.
    static func size(_ t: Tensor) -> String { "torch.Size([\(t.shape.map(String.init).joined(separator: ", "))])" }

    /// `torch.max` / `torch.min`: the whole tensor, `(values, indices)` along a dim, or elementwise with another tensor.
    static func extremum(_ reduction: Reduction) -> BuiltinFunction {
        { call in
            let args = try call.bind("input, dim|axis|other=None, keepdim|keepdims=False")
            let x = try args.tensor("input")
            switch args["dim"] {
            case .none: return .tensor(try x.reduce(reduction, keepDims: false))
            case .tensor(let other):
                return .tensor(try reduction == .max ? Tensor.maximum(x, other) : Tensor.minimum(x, other))
            default:
                let dim = try args.int("dim"), keep = try args.bool("keepdim")
                let values = try x.reduce(reduction, axes: [dim], keepDims: keep)
                var indices = try (reduction == .max ? x : -x).argmax(axis: dim)
                if keep { indices = try Common.expandDims(indices, axis: dim < 0 ? dim + x.shape.count : dim) }
                return .tuple([.tensor(values), .tensor(indices)])
            }
        }
    }

    /// `torch.ones(2, 3)`, `torch.ones((2, 3))`, `torch.zeros(size=(2, 3), dtype=...)`.
    static func filled(_ value: Float) -> BuiltinFunction {
        { call in
            let (shape, dtype) = try sizesAndType(call.positional, call, ignoring: ["device", "requires_grad", "layout", "out", "pin_memory"])
            return .tensor(try Tensor.filled(value, shape: shape, dtype: dtype ?? .float32))
        }
    }

    /// The shape (`2, 3`, `(2, 3)` or `size=`) and `dtype=` of a PyTorch constant's call; the `ignoring` keywords
    /// (`device`, `requires_grad`...) change nothing on the probes, any other is PyTorch's TypeError.
    static func sizesAndType(_ sizes: [Value], _ call: Call, ignoring: Set<String>) throws -> (shape: [Int], dtype: DType?) {
        var sizes = sizes
        var dtype: DType?
        for (name, argument) in call.keywords {
            switch name {
            case "size": sizes = [argument]
            case "dtype": dtype = try Arguments(call: call, values: ["dtype": argument]).dtype("dtype")
            case _ where ignoring.contains(name): continue
            default: throw call.error("\(call.name)() got an unexpected keyword argument '\(name)'")
            }
        }
        return (try Common.shape(sizes, call: call), dtype)
    }

    /// `torch.promote_types`: the wider floating type, a float over an integer, the wider integer; bool only with bool.
    static func promotedType(_ a: DType, _ b: DType) -> DType {
        let order: [DType] = [.bool, .uint8, .int8, .int16, .int32, .int64, .float16, .float32, .float64]
        if a.isFloatingPoint != b.isFloatingPoint { return a.isFloatingPoint ? a : b }
        if (a == .uint8 && b == .int8) || (a == .int8 && b == .uint8) { return .int16 }
        return order.firstIndex(of: a)! >= order.firstIndex(of: b)! ? a : b
    }

    /// Class indices (one per position) as a one-hot tensor with the class axis at 1, like `input`.
    static func classOneHot(_ target: Tensor, classes: Int, call: Call) throws -> Tensor {
        guard !target.dtype.isFloatingPoint else {
            throw call.error("RuntimeError: expected target dtype to be Long or Byte, but got Float (class-index targets must be integers: use `target.long()`)")
        }
        let encoded = try target.oneHot(depth: classes)  // (N, d1, ..., C); ignore_index (-100) gives zeros
        let rank = encoded.shape.count
        return rank <= 2 ? encoded : try encoded.transposed([0, rank - 1] + Array(1..<(rank - 1)))
    }

    /// A class-index target has `input`'s shape without the class axis; PyTorch 2.13 refuses any other shape
    /// with these errors (printed by `F.nll_loss` and `F.cross_entropy` on CPU), checked in this order.
    static func checkClassIndexShape(_ target: [Int], against input: [Int], _ call: Call) throws {
        guard input.count >= 2 else { return }
        if let batch = target.first, batch != input[0] {
            throw call.error("ValueError: Expected input batch_size (\(input[0])) to match target batch_size (\(batch)).")
        }
        let expected = [input[0]] + input.dropFirst(2)
        guard target != expected else { return }
        switch input.count {
        case 2 where target.count > 1: throw call.error("RuntimeError: 0D or 1D target tensor expected, multi-target not supported")
        case 4 where target.count != 3:
            throw call.error("RuntimeError: only batches of spatial targets supported (3D tensors) but got targets of dimension: \(target.count)")
        case 4: throw call.error("RuntimeError: size mismatch (got input: \(sizeList(input)) , target: \(sizeList(target))")
        default: throw call.error("RuntimeError: Expected target size \(sizeList(expected)), got \(sizeList(target))")
        }
    }

    private static func sizeList(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    /// The negative log-likelihood behind `F.cross_entropy` and `F.nll_loss`, given log-probabilities
    /// with the class axis at 1 (at 0 for an unbatched input).
    /// Class probabilities as the target (the same shape as `input`) are `F.cross_entropy`'s only: `F.nll_loss` takes class indices.
    /// PyTorch's loss kernels take their class and pixel weights as constants: a weight computed from the
    /// prediction (a focal factor passed as `weight=`) raises in the forward call, before any backward
    /// (torch 2.15: BCE, BCE with logits, NLL and class-index cross-entropy; the text, full stop included, is its own).
    static func refuseGradient(_ weight: Tensor, _ argument: String, of kernel: String, _ call: Call) throws {
        guard weight.requiresGrad else { return }
        throw call.error("RuntimeError: The function '\(kernel)' is not differentiable with respect to argument '\(argument)'. "
                         + "This input cannot have requires_grad True\(argument == "pos_weight" ? "" : ".")")
    }

    static func negativeLogLikelihood(_ logp: Tensor, _ target: Tensor, _ args: Arguments, smoothing: Float,
                                      acceptsProbabilities: Bool = true) throws -> Tensor {
        let call = args.call
        let classAxis = logp.shape.count == 1 ? 0 : 1
        let classes = logp.shape[classAxis]
        var weight: Tensor?
        if let w = try args.optionalTensor("weight") {
            if !(acceptsProbabilities && target.dtype.isFloatingPoint && target.shape == logp.shape) {
                // Beyond 2-D, PyTorch folds the spatial axes into its 2-D kernel (torch 2.15, measured).
                try refuseGradient(w, "weight", of: logp.shape.count <= 2 ? "nll_loss_forward" : "nll_loss2d_forward", call)
            }
            var shape = [Int](repeating: 1, count: logp.shape.count)
            shape[classAxis] = classes
            weight = try w.reshaped(shape)
        }
        if acceptsProbabilities && target.dtype.isFloatingPoint && target.shape == logp.shape {
            // Class probabilities: -Σ w_c y_c log p_c, averaged over positions (not over weights).
            var y = target
            if smoothing > 0 { y = try y * Tensor(1 - smoothing) + Tensor(smoothing / Float(classes)) }
            let terms = try weight.map { try $0 * y * logp } ?? (y * logp)
            let loss = try -terms.sum(axes: [classAxis])
            return try Common.torchReduction(loss, args)
        }
        try checkClassIndexShape(target.shape, against: logp.shape, call)
        let encoded = classAxis == 0 ? try classOneHot(target, classes: classes, call: call).reshaped([classes])
            : try classOneHot(target, classes: classes, call: call)
        let ignore = try args.int("ignore_index")
        if let bad = target.scalars.first(where: { $0 != Float(ignore) && ($0 < 0 || $0 >= Float(classes)) }) {
            throw call.error("IndexError: Target \(Int(bad)) is out of bounds.")
        }
        let valid = try target.compare(.notEqual, Tensor(Float(ignore))).cast(.float32)
        let weighted = try weight.map { try encoded * $0 } ?? encoded
        let positionWeight = try weighted.sum(axes: [classAxis]) * valid
        var loss = try -(weighted * logp).sum(axes: [classAxis]) * valid
        if smoothing > 0 {
            let uniform = try -(weight.map { try logp * $0 } ?? logp).sum(axes: [classAxis]) / Tensor(Float(classes)) * valid
            loss = try loss * Tensor(1 - smoothing) + uniform * Tensor(smoothing)
        }
        if try args.string("reduction") ?? "mean" == "mean", args.isNone("size_average"), args.isNone("reduce") {
            return try loss.sum() / positionWeight.sum()
        }
        return try Common.torchReduction(loss, args)
    }

    /// PyTorch's elementwise functions (also tensor methods), by their NumPy names.
    static let torchElementwise = [
        "sigmoid", "log", "log1p", "exp", "sqrt", "abs", "absolute=abs", "neg=negative", "negative", "reciprocal", "square",
        "tanh", "cosh", "sinh", "relu", "floor", "ceil", "sign", "floor_divide", "true_divide=divide", "remainder=mod", "mul=multiply",
        "multiply", "minimum", "maximum", "eq=equal", "ne=not_equal", "gt=greater", "ge=greater_equal", "lt=less",
        "le=less_equal", "logical_not", "logical_and", "logical_or", "matmul",
    ]

    /// `torch.prod` (and `Tensor.prod`): the product of all elements, or over one axis, as a chain of products
    /// of slices, so the engine differentiates it as any product (zeros included); one step per factor.
    static let product: BuiltinFunction = { call in
        let args = try call.bind("input, dim=None, keepdim=False, *, dtype=None")
        let overAll = args.isNone("dim")
        var x = try args.tensor("input")
        var axis = 0
        if overAll {
            x = try x.flattened()
        } else {
            guard let dim = try call.interpreter.integer(args["dim"]) else { throw call.error("TypeError: prod(): argument 'dim' must be int") }
            axis = dim < 0 ? dim + x.shape.count : dim
            guard x.shape.indices.contains(axis) else {
                throw call.error("IndexError: Dimension out of range (expected to be in range of [\(-x.shape.count), \(x.shape.count - 1)], but got \(dim))")
            }
        }
        try call.interpreter.step(at: call.site, count: x.shape[axis])
        var factorShape = x.shape
        factorShape[axis] = 1
        var result = try Tensor.filled(1, shape: factorShape, dtype: x.dtype)
        for i in 0..<x.shape[axis] {
            result = try result * x.slice(starts: x.shape.indices.map { $0 == axis ? i : 0 }, steps: x.shape.map { _ in 1 }, counts: factorShape)
        }
        if overAll { return .tensor(try result.reshaped([])) }
        return .tensor(try args.bool("keepdim") ? result : result.reshaped(x.shape.indices.filter { $0 != axis }.map { x.shape[$0] }))
    }

    static let functions: [String: BuiltinFunction] = {
        var torch: [String: BuiltinFunction] = [
            "sum": Common.reduction(.sum, "input, dim|axis=None, keepdim|keepdims=False, *, dtype=None"),
            "mean": Common.reduction(.mean, "input, dim|axis=None, keepdim|keepdims=False, *, dtype=None"),
            "prod": product,
            "amax": Common.reduction(.max, "input, dim|axis=None, keepdim|keepdims=False"),
            "amin": Common.reduction(.min, "input, dim|axis=None, keepdim|keepdims=False"),
            // kornia's one_hot checks label bounds in one pass: `low, high = torch.aminmax(labels, dim=0)`.
            "aminmax": { call in
                let args = try call.bind("input, *, dim=None, keepdim=False")
                let (x, axes, keep) = (try args.tensor("input"), try args.axes("dim"), try args.bool("keepdim"))
                return .tuple([.tensor(try x.reduce(.min, axes: axes, keepDims: keep)), .tensor(try x.reduce(.max, axes: axes, keepDims: keep))])
            },
            // kornia checks its labels' bounds with an assertion that raises only on a device, later: no value.
            "_assert_async": { call in _ = try call.bind("input, assert_msg=None"); return .none },
            "unbind": Common.unstack("input, dim=0", axis: "dim", asList: false),
            "max": extremum(.max),
            "min": extremum(.min),
            "logsumexp": { call in
                let args = try call.bind("input, dim|axis, keepdim|keepdims=False")
                return .tensor(try Common.logSumExp(args.tensor("input"), axes: args.axes("dim"), keepDims: args.bool("keepdim")))
            },
            "numel": { call in .int(try call.bind("input").tensor("input").count) },
            "softmax": Common.softmax("input, dim, dtype=None", log: false),
            "log_softmax": Common.softmax("input, dim, dtype=None", log: true),
            "round": Common.unary("input, *, decimals=0") { try $0.rounded() },
            "pow": Common.binary("input, exponent") { try $0.pow($1) },
            "div": { call in
                let args = try call.bind("input, other, *, rounding_mode=None")
                let (x, y) = (try args.tensor("input"), try args.tensor("other"))
                switch try args.string("rounding_mode") {
                case nil: return .tensor(try x / y)
                case "floor": return .tensor(try x.floorDivided(by: y))
                // Rounding toward zero is a floor division on the magnitudes: no gradient either.
                case "trunc": return .tensor(try (x / y).sign() * x.abs().floorDivided(by: y.abs()))
                case let mode?: throw call.error("ValueError: div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '\(mode)'")
                }
            },
            "add": { call in
                let args = try call.bind("input, other, *, alpha=1")
                return .tensor(try args.tensor("input") + args.tensor("other") * Tensor(args.float("alpha")))
            },
            "sub": { call in
                let args = try call.bind("input, other, *, alpha=1")
                return .tensor(try args.tensor("input") - args.tensor("other") * Tensor(args.float("alpha")))
            },
            "clamp": Common.clip("input, min=None, max=None"),
            "where": Common.select("condition, input=None, other=None"),
            "flatten": { call in
                let args = try call.bind("input, start_dim=0, end_dim=-1")
                return .tensor(try Common.flatten(args.tensor("input"), start: args.int("start_dim"), end: args.int("end_dim")))
            },
            "cat": Common.concat("tensors, dim|axis=0"),
            "stack": Common.stack("tensors, dim|axis=0"),
            "eye": { call in
                let args = try call.bind("n, m=None, *, dtype=None, device=None, requires_grad=False")
                let n = try args.int("n"), m = args.isNone("m") ? n : try args.int("m")
                let zeros = try Tensor.filled(0, shape: [n, m])
                var values = zeros.scalars
                for i in 0..<Swift.min(n, m) { values[i * m + i] = 1 }
                return .tensor(Tensor(shape: [n, m], scalars: values, dtype: try args.dtype("dtype") ?? .float32))
            },
            "ones_like": Common.filledLike(1, "input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None"),
            "zeros_like": Common.filledLike(0, "input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None"),
            "ones": filled(1),
            "zeros": filled(0),
            "argmax": Common.argmax("input, dim=None, keepdim=False"),
            "tensor": Common.constant("data, *, dtype=None, device=None, requires_grad=False, pin_memory=False"),
            "as_tensor": Common.constant("data, dtype=None, device=None"),
            "from_numpy": Common.constant("ndarray"),
            "unsqueeze": Common.expandDims("input, dim"),
            "squeeze": Common.squeeze("input, dim=None", lenient: true),
            "permute": Common.transpose("input, dims"),
            "transpose": { call in
                let args = try call.bind("input, dim0, dim1")
                return .tensor(try Common.swapAxes(args.tensor("input"), args.int("dim0"), args.int("dim1")))
            },
            "reshape": Common.reshape("input, shape"),
            "detach": Common.unary("input") { try $0.stopGradient() },
            "clone": Common.unary("input, *, memory_format=None") { $0 },
            // `torch.Size([4, 1])` is a tuple of ints (kornia builds one for its shape messages).
            "Size": { call in
                let args = try call.bind("sizes=()")
                return .tuple(try Common.shape([args["sizes"]], call: call).map(Value.int))
            },
            "promote_types": { call in
                let args = try call.bind("type1, type2")
                guard let a = try args.dtype("type1"), let b = try args.dtype("type2") else { throw call.error("TypeError: promote_types(): arguments must be dtypes") }
                return .dtype(promotedType(a, b))
            },
            "is_floating_point": { call in .bool(try call.bind("input").tensor("input").dtype.isFloatingPoint) },
            "masked_fill": { call in
                let args = try call.bind("input, mask, value")
                return .tensor(try Tensor.select(args.tensor("mask"), args.tensor("value"), args.tensor("input")))
            },
            "is_tensor": { call in
                if case .tensor = try call.bind("obj")["obj"] { return .bool(true) }
                return .bool(false)
            },
            "mm": Common.binary("input, mat2") { a, b in
                guard a.shape.count == 2, b.shape.count == 2 else { throw EngineError.invalidArgument("mm: both arguments must be 2-D matrices") }
                return try Common.matmul(a, b)
            },
            "linspace": { call in
                let args = try call.bind("start, end, steps, *, dtype=None, device=None, requires_grad=False, out=None, layout=None")
                let (a, b, steps) = (Double(try args.float("start")), Double(try args.float("end")), try args.int("steps"))
                guard steps >= 0 else { throw call.error("RuntimeError: number of steps must be non-negative") }
                try Tensor.reserve(steps)
                let type = try args.dtype("dtype") ?? .float32
                let values = (0..<steps).map { i in steps == 1 ? a : a + (b - a) * Double(i) / Double(steps - 1) }
                return .tensor(Tensor(shape: [steps], scalars: values.map { Tensor.convert(Float($0), to: type) }, dtype: type))
            },
            "bincount": { call in
                // Counting labels is target-side bookkeeping: the result is a constant (int64, or the weights' dtype).
                let args = try call.bind("input, weights=None, minlength=0")
                let x = try args.tensor("input")
                guard !x.dtype.isFloatingPoint else { throw call.error("NotImplementedError: \"bincount_cpu\" not implemented for 'Float'") }
                guard x.shape.count == 1, x.scalars.allSatisfy({ $0 >= 0 }) else {
                    throw call.error("RuntimeError: bincount only supports 1-d non-negative integral inputs.")
                }
                let weights = try args.optionalTensor("weights")
                if let weights, weights.shape != x.shape {
                    throw call.error("RuntimeError: weights should be 1-d and have the same length as input")
                }
                let length = Swift.max(try args.int("minlength"), Int(x.scalars.max() ?? -1) + 1)
                var counts = [Float](repeating: 0, count: length)
                for (i, label) in x.scalars.enumerated() { counts[Int(label)] += weights?.scalars[i] ?? 1 }
                return .tensor(Tensor(shape: [length], scalars: counts, dtype: weights.map { $0.dtype.isFloatingPoint ? $0.dtype : .float64 } ?? .int64))
            },
        ]
        torch.merge(Common.elementwise("", torchElementwise, unary: "input", binary: "input, other")) { first, _ in first }
        torch["clip"] = torch["clamp"]
        torch["concat"] = torch["cat"]
        torch["divide"] = torch["div"]
        torch["multiply"] = torch["mul"]
        torch["subtract"] = torch["sub"]
        torch["absolute"] = torch["abs"]
        torch["negative"] = torch["neg"]

        let functional: [String: BuiltinFunction] = [
            "binary_cross_entropy": { call in
                let args = try call.bind("input, target, weight=None, size_average=None, reduce=None, reduction='mean'")
                let (p, y) = (try args.tensor("input"), try args.tensor("target"))
                guard p.shape == y.shape else {
                    throw call.error("ValueError: Using a target size (\(size(y))) that is different to the input size (\(size(p))) is deprecated. Please ensure they have the same size.")
                }
                // NaN passes through (so that LD201 can say where it came from); other values outside [0, 1] raise.
                if p.scalars.contains(where: { $0 < 0 || $0 > 1 }) {
                    throw call.error("RuntimeError: all elements of input should be between 0 and 1")
                }
                var loss = try Common.torchBinaryCrossEntropy(p, y)
                if let weight = try args.optionalTensor("weight") {
                    try refuseGradient(weight, "weight", of: "binary_cross_entropy", call)
                    loss = try loss * weight
                }
                return .tensor(try Common.torchReduction(loss, args))
            },
            "binary_cross_entropy_with_logits": { call in
                let args = try call.bind("input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None")
                let (z, y) = (try args.tensor("input"), try args.tensor("target"))
                guard z.shape == y.shape else {
                    throw call.error("ValueError: Target size (\(size(y))) must be the same as input size (\(size(z)))")
                }
                let weight = try args.optionalTensor("weight"), positiveWeight = try args.optionalTensor("pos_weight")
                if let weight { try refuseGradient(weight, "weight", of: "binary_cross_entropy_with_logits", call) }
                if let positiveWeight { try refuseGradient(positiveWeight, "pos_weight", of: "binary_cross_entropy_with_logits", call) }
                var loss = try Common.binaryCrossEntropyWithLogits(y, z, posWeight: positiveWeight, call: call)
                if let weight { loss = try loss * weight }
                return .tensor(try Common.torchReduction(loss, args))
            },
            "cross_entropy": { call in
                let args = try call.bind("input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0")
                let logits = try args.tensor("input")
                call.interpreter.noteLogitsInput(logits, at: call.site)
                let logp = try logits.logSoftmax(axis: logits.shape.count == 1 ? 0 : 1)
                return .tensor(try negativeLogLikelihood(logp, args.tensor("target"), args, smoothing: args.float("label_smoothing")))
            },
            "nll_loss": { call in
                let args = try call.bind("input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'")
                let input = try args.tensor("input")
                call.interpreter.noteLogProbabilitiesInput(input)
                return .tensor(try negativeLogLikelihood(input, args.tensor("target"), args, smoothing: 0, acceptsProbabilities: false))
            },
            "mse_loss": { call in
                let args = try call.bind("input, target, size_average=None, reduce=None, reduction='mean', weight=None")
                return .tensor(try Common.torchReduction((args.tensor("input") - args.tensor("target")).squared(), args))
            },
            "l1_loss": { call in
                let args = try call.bind("input, target, size_average=None, reduce=None, reduction='mean'")
                return .tensor(try Common.torchReduction((args.tensor("input") - args.tensor("target")).abs(), args))
            },
            "cosine_embedding_loss": { call in
                // torch 2.15: 1 - cos(x1, x2) where the target is 1, max(0, cos - margin) where it is -1, 0 elsewhere;
                // the squared magnitudes get 1e-12 before the square root (ATen's EPSILON).
                let args = try call.bind("input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'")
                let (a, b, y) = (try args.tensor("input1"), try args.tensor("input2"), try args.tensor("target"))
                guard y.shape.count <= 1 else { throw call.error("RuntimeError: 0D or 1D target tensor expected, multi-target not supported") }
                guard a.shape.count == y.shape.count + 1, b.shape.count == y.shape.count + 1 else {
                    let sizes = [a, b].map { "[\($0.shape.map(String.init).joined(separator: ", "))]" }
                    throw call.error("RuntimeError: \(y.shape.count)D target tensor expects \(y.shape.count + 1)D input tensors, but found inputs with sizes \(sizes[0]) and \(sizes[1]).")
                }
                let axis = [y.shape.count]
                let epsilon = Tensor(Float(1e-12))
                let product = try (a * b).sum(axes: axis)
                let magnitudes = try ((a * a).sum(axes: axis) + epsilon) * ((b * b).sum(axes: axis) + epsilon)
                let cosine = try product / magnitudes.sqrt()
                let zero = Tensor(Float(0))
                let similar = try Tensor.select(y.compare(.equal, Tensor(Float(1))), Tensor(Float(1)) - cosine, zero)
                let apart = try Tensor.select(y.compare(.equal, Tensor(Float(-1))), Tensor.maximum(cosine - Tensor(Float(try args.float("margin"))), zero), zero)
                return .tensor(try Common.torchReduction(similar + apart, args))
            },
            "logsigmoid": Common.unary("input") { try $0.logSigmoid() },
            "sigmoid": Common.unary("input", Common.unaryMath["sigmoid"]!),
            "tanh": Common.unary("input", Common.unaryMath["tanh"]!),
            "relu": Common.unary("input, inplace=False", Common.unaryMath["relu"]!),
            "softplus": { call in
                let args = try call.bind("input, beta=1.0, threshold=20.0")
                let beta = try args.float("beta")
                return .tensor(try (args.tensor("input") * Tensor(beta)).softplus() / Tensor(beta))
            },
            "softmax": torchSoftmax(log: false),
            "log_softmax": torchSoftmax(log: true),
            "one_hot": { call in
                let args = try call.bind("tensor, num_classes=-1")
                let labels = try args.tensor("tensor")
                guard labels.dtype == .int64 else { throw call.error("RuntimeError: one_hot is only applicable to index tensor of type LongTensor.") }
                var classes = try args.int("num_classes")
                if classes == -1 {
                    guard let top = Int(exactly: (labels.scalars.max() ?? 0).rounded(.towardZero)), top < Int.max else {
                        throw call.error("RuntimeError: one_hot: class values must be finite integers")
                    }
                    classes = Swift.max(top, 0) + 1
                }
                // torch 2.15: an index outside [0, num_classes) raises (an ignore_index of 255 or -100 left in the target).
                if labels.scalars.contains(where: { $0 < 0 }) { throw call.error("RuntimeError: Class values must be non-negative.") }
                if labels.scalars.contains(where: { $0 >= Float(classes) }) {
                    throw call.error("RuntimeError: Class values must be smaller than num_classes.")
                }
                return .tensor(try labels.oneHot(depth: classes).cast(.int64))
            },
        ]
        var table: [String: BuiltinFunction] = [:]
        for (name, function) in torch { table["torch." + name] = function }
        for (name, function) in functional { table["F." + name] = function }

        let lossOptions = "size_average=None, reduce=None, reduction='mean'"
        table["torch.nn.BCELoss"] = Common.lossClass("weight=None, " + lossOptions, functional["binary_cross_entropy"]!)
        table["torch.nn.BCEWithLogitsLoss"] = Common.lossClass("weight=None, \(lossOptions), pos_weight=None", functional["binary_cross_entropy_with_logits"]!)
        table["torch.nn.CrossEntropyLoss"] = Common.lossClass("weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0",
                                                              functional["cross_entropy"]!)
        table["torch.nn.NLLLoss"] = Common.lossClass("weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'", functional["nll_loss"]!)
        table["torch.nn.MSELoss"] = Common.lossClass(lossOptions, functional["mse_loss"]!)
        table["torch.nn.L1Loss"] = Common.lossClass(lossOptions, functional["l1_loss"]!)
        table["torch.nn.CosineEmbeddingLoss"] = Common.lossClass("margin=0.0, " + lossOptions, functional["cosine_embedding_loss"]!)
        table["torch.nn.Sigmoid"] = Common.module("", functional["sigmoid"]!)
        table["torch.nn.Softmax"] = Common.module("dim=None", functional["softmax"]!)
        table["torch.nn.LogSoftmax"] = Common.module("dim=None", functional["log_softmax"]!)
        table["torch.nn.ReLU"] = Common.module("inplace=False", functional["relu"]!)
        table["torch.nn.Identity"] = Common.module("") { call in call.positional.first ?? .none }
        return table
    }()

    /// `F.softmax(input, dim=None)`: without `dim`, PyTorch's legacy choice (0 for 0-, 1- and 3-D input, else 1).
    static func torchSoftmax(log: Bool) -> BuiltinFunction {
        { call in
            let args = try call.bind("input, dim=None, _stacklevel=3, dtype=None")
            let x = try args.tensor("input")
            let dim = args.isNone("dim") ? ([0, 1, 3].contains(x.shape.count) ? 0 : 1) : try args.int("dim")
            return .tensor(try log ? x.logSoftmax(axis: dim) : x.softmax(axis: dim))
        }
    }
}
