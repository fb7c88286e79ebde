/// APIs that reorder, pick and scatter elements, in every framework: sorting (`torch.sort`, `tf.sort`,
/// `tf.nn.top_k`: Lovász losses), running sums, flips, `gather`/`scatter`/`scatter_add`, finiteness
/// tests and a few constructors. The values move through the engine's `take`/`scatterAdd` ops, so the
/// gradient follows each element; index outputs are integer tensors (cut).
enum ReorderingAPI {
    /// A sort as a function: `(values, indices)`, the values only, or the indices only.
    enum SortOutput { case both, values, indices }

    static func sort(_ signature: String, output: SortOutput, direction: @escaping @Sendable (Arguments) throws -> Bool, indexType: DType = .int64) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { Common.firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(names[0])
            let axis = args.isNone(names[1]) ? -1 : try args.int(names[1])
            let (values, indices) = try x.sorted(axis: axis, descending: direction(args))
            let typed = try indices.cast(indexType)
            switch output {
            case .both: return .tuple([.tensor(values), .tensor(typed)])
            case .values: return .tensor(values)
            case .indices: return .tensor(typed)
            }
        }
    }

    /// TensorFlow's `direction='ASCENDING'|'DESCENDING'`.
    static func tfDescending(_ args: Arguments) throws -> Bool {
        switch try args.string("direction")?.uppercased() ?? "ASCENDING" {
        case "ASCENDING": return false
        case "DESCENDING": return true
        case let other: throw args.call.error("ValueError: `direction` should be one of ASCENDING, DESCENDING (got \(other))")
        }
    }

    /// `torch.topk(input, k, dim=-1, largest=True, sorted=True)` and `tf.math.top_k(input, k=1)` (last axis).
    static func top(_ signature: String, largestName: String?, indexType: DType) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { Common.firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(names[0])
            let axis = names.contains("dim") ? try args.int("dim") : -1
            let largest = try largestName.map { try args.bool($0) } ?? true
            let (values, indices) = try x.top(args.int(names[1]), axis: axis, largest: largest)
            return .tuple([.tensor(values), .tensor(try indices.cast(indexType))])
        }
    }

    /// `cumsum(x, axis)`; TensorFlow's `exclusive` and `reverse` flags are a shift and a flip around it.
    static func cumsum(_ signature: String, axisName: String, defaultAxis: Int?) -> BuiltinFunction {
        let tensorName = Common.firstName(String(signature.split(separator: ",")[0]))
        return { call in
            let args = try call.bind(signature)
            var x = try args.tensor(tensorName)
            var axis: Int
            if args.isNone(axisName) {
                guard let fallback = defaultAxis else { x = try x.flattened(); return .tensor(try x.cumulativeSum(axis: 0)) }
                axis = fallback
            } else {
                axis = try args.int(axisName)
            }
            if case .dtype(let type) = args["dtype"] { x = try x.cast(type) }
            guard !x.shape.isEmpty else { return .tensor(x) }
            axis = try x.checkedAxis(axis)
            let reverse = signature.contains("reverse") ? try args.bool("reverse") : false
            let exclusive = signature.contains("exclusive") ? try args.bool("exclusive") : false
            if reverse { x = try x.flipped(axes: [axis]) }
            var result = try x.cumulativeSum(axis: axis)
            if exclusive { result = try result - x }
            if reverse { result = try result.flipped(axes: [axis]) }
            return .tensor(result)
        }
    }

    /// `flip(x, dims)`: `dims` an int or a sequence (`tf.reverse(x, axis)`, `np.flip(x, axis=None)`: all).
    static func flip(_ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { Common.firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(names[0])
            let axes = try args.axes(names[1]) ?? Array(x.shape.indices)
            return .tensor(try x.flipped(axes: axes))
        }
    }

    /// `Tensor.flip(0, 1)` / `Tensor.flip((0, 1))` / `Tensor.flip(dims=...)`.
    static func flipMethod(_ call: Call) throws -> Value {
        let (x, dims) = try TensorMethods.receiverAndInts(call, keyword: "dims")
        return .tensor(try x.flipped(axes: dims))
    }

    /// The positions of an index tensor, which must hold integers (PyTorch: int64 only).
    static func indexTensor(_ args: Arguments, _ name: String, api: String) throws -> Tensor {
        let index = try args.tensor(name)
        guard !index.dtype.isFloatingPoint, index.dtype != .bool else {
            throw args.call.error("RuntimeError: \(api)(): Expected dtype int64 for index")
        }
        return index
    }

    /// `torch.gather(input, dim, index)`.
    static let gather: BuiltinFunction = { call in
        let args = try call.bind("input, dim, index, *, sparse_grad=False")
        return .tensor(try args.tensor("input").gather(axis: args.int("dim"), index: indexTensor(args, "index", api: "gather")))
    }

    /// `torch.scatter(input, dim, index, src)` / `value=`, and `scatter_add`.
    static func scatter(add: Bool) -> BuiltinFunction {
        { call in
            let args = try call.bind(add ? "input, dim, index, src" : "input, dim, index, src|value=None, *, reduce=None")
            guard add || args.isNone("reduce") else {
                throw InterpreterError(.unsupportedCall, "`\(call.name)` with `reduce=` is not a call LossDoctor models", at: call.site,
                                       hint: "use `scatter_add` for sums")
            }
            let x = try args.tensor("input"), index = try indexTensor(args, "index", api: "scatter")
            var source = try args.tensor("src")
            if source.shape.isEmpty { source = try source + Tensor.filled(0, shape: index.shape, dtype: source.dtype) }
            let result = try x.scattered(axis: args.int("dim"), index: index, source: source.cast(x.dtype), replace: !add)
            return .tensor(result)
        }
    }

    /// `tf.gather(params, indices, axis=None)`: slices along `axis` (0 by default); negative indices raise.
    static let tfGather: BuiltinFunction = { call in
        let args = try call.bind("params, indices, validate_indices=None, axis=None, batch_dims=0, name=None")
        guard try args.int("batch_dims") == 0 else {
            throw InterpreterError(.unsupportedCall, "`tf.gather` with `batch_dims` is not a call LossDoctor models", at: call.site, hint: "gather without batch_dims")
        }
        let axis = args.isNone("axis") ? 0 : try args.int("axis")
        return .tensor(try args.tensor("params").gatherSlices(axis: axis, index: args.tensor("indices"), wrap: false))
    }

    /// `take_along_axis(arr, indices, axis)` (NumPy, keras.ops): `torch.gather` with broadcasting of the index.
    static let takeAlongAxis: BuiltinFunction = { call in
        let args = try call.bind("arr|x, indices, axis=None")
        let x = try args.tensor("arr"), index = try args.tensor("indices")
        if args.isNone("axis") { return .tensor(try x.flattened().gather(axis: 0, index: index.flattened())) }
        return .tensor(try x.gather(axis: args.int("axis"), index: index))
    }

    /// `isnan`, `isinf`, `isfinite` (bool tensors, cuts).
    static let finiteness: [String: @Sendable (Tensor) throws -> Tensor] = [
        "isnan": { try $0.compare(.notEqual, $0) },
        "isinf": { try $0.abs().compare(.equal, Tensor(.infinity)) },
        "isfinite": { try $0.abs().compare(.less, Tensor(.infinity)) },
    ]

    /// `nan_to_num(x, nan=0.0, posinf=None, neginf=None)`: NaN and ±inf replaced (by the largest finite
    /// float32 by default); their gradient is zero, as PyTorch's backward masks them.
    static func nanToNum(_ signature: String) -> BuiltinFunction {
        let tensorName = Common.firstName(String(signature.split(separator: ",")[0]))
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(tensorName)
            guard x.dtype.isFloatingPoint else { return .tensor(x) }
            let nan = args.isNone("nan") ? 0 : try args.float("nan")
            let high = args.isNone("posinf") ? Float.greatestFiniteMagnitude : try args.float("posinf")
            let low = args.isNone("neginf") ? -Float.greatestFiniteMagnitude : try args.float("neginf")
            var result = try Tensor.select(x.compare(.notEqual, x), Tensor(nan), x)
            result = try Tensor.select(x.compare(.equal, Tensor(.infinity)), Tensor(high), result)
            result = try Tensor.select(x.compare(.equal, Tensor(-.infinity)), Tensor(low), result)
            return .tensor(result)
        }
    }

    /// `torch.arange(end)`, `torch.arange(start, end, step)`, `np.arange`: int64 when every bound is an int.
    static let arange: BuiltinFunction = { call in
        let args = try call.bind("start, end|stop=None, step=1, *, dtype=None, device=None, requires_grad=False, out=None, layout=None")
        let (first, last) = args.isNone("end") ? (Value.int(0), args["start"]) : (args["start"], args["end"])
        let step = args["step"]
        guard let a = first.number ?? first.tensor?.scalar.map(Double.init), let b = last.number ?? last.tensor?.scalar.map(Double.init),
              let s = step.number ?? step.tensor?.scalar.map(Double.init), s != 0 else {
            throw call.error("arange(): start, end and step must be numbers and step non-zero")
        }
        let count = Swift.max(0, Int(((b - a) / s).rounded(.up)))
        try Tensor.reserve(count)
        let integral = [first, last, step].allSatisfy { if case .int = $0 { true } else if case .bool = $0 { true } else { false } }
        let type = try args.dtype("dtype") ?? (integral ? .int64 : .float32)
        return .tensor(Tensor(shape: [count], scalars: (0..<count).map { Tensor.convert(Float(a + Double($0) * s), to: type) }, dtype: type))
    }

    /// `tf.range(limit)`, `tf.range(start, limit, delta)`: int32 when every bound is an int (TensorFlow's default).
    static let tfRange: BuiltinFunction = { call in
        let args = try call.bind("start, limit=None, delta=1, dtype=None, name=None")
        let integral = [args["start"], args["limit"], args["delta"]].allSatisfy { if case .float = $0 { false } else { true } }
        var keywords = [("end", args["limit"]), ("step", args["delta"])]
        if case .none = args["dtype"] { keywords.append(("dtype", .dtype(integral ? .int32 : .float32))) } else { keywords.append(("dtype", args["dtype"])) }
        let forwarded = Call(name: call.name, positional: [args["start"]], keywords: keywords.map { (name: $0.0, value: $0.1) },
                             site: call.site, captured: [], interpreter: call.interpreter)
        return try arange(forwarded)
    }

    /// `torch.full(size, fill_value)`, `torch.full_like(input, fill_value)`.
    static let full: BuiltinFunction = { call in
        let args = try call.bind("size, fill_value, *, dtype=None, device=None, requires_grad=False, out=None, layout=None")
        let shape = try Common.shape([args["size"]], call: call)
        let type = try args.dtype("dtype") ?? (args["fill_value"].number.map { $0 == $0.rounded() && !(args["fill_value"].isFloat) ? DType.int64 : .float32 } ?? .float32)
        return .tensor(try Tensor.filled(args.float("fill_value"), shape: shape, dtype: type))
    }

    static let fullLike: BuiltinFunction = { call in
        let args = try call.bind("input, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None")
        let x = try args.tensor("input")
        return .tensor(try Tensor.filled(args.float("fill_value"), shape: x.shape, dtype: args.dtype("dtype") ?? x.dtype))
    }

    /// `torch.FloatTensor(data)` and the other legacy constructors: the data as a tensor of that type.
    static func legacyConstructor(_ type: DType) -> BuiltinFunction {
        { call in
            if call.positional.count == 1, call.positional[0].number == nil || call.positional[0].tensor != nil {
                let x = try call.interpreter.tensor(call.positional[0], site: call.site)
                return .tensor(x.dtype == type ? x : try x.cast(type))
            }
            // `torch.FloatTensor(2, 3)`: sizes, uninitialised memory in PyTorch; zeros here.
            return .tensor(try Tensor.filled(0, shape: Common.shape(call.positional, call: call), dtype: type))
        }
    }

    /// `torch.unique(x)` / `np.unique(x)`: the distinct values, sorted (no gradient: PyTorch has no
    /// derivative for it). Only the values form is modelled.
    static let unique: BuiltinFunction = { call in
        let args = try call.bind("input|ar, sorted=True, return_inverse=False, return_counts=False, dim|axis=None, return_index=False")
        guard !(try args.bool("return_inverse")), !(try args.bool("return_counts")), !(try args.bool("return_index")), args.isNone("dim") else {
            throw InterpreterError(.unsupportedCall, "`\(call.name)` with inverse, counts, indices or a dim is not a call LossDoctor models", at: call.site,
                                   hint: "take the distinct values only")
        }
        let x = try args.tensor("input")
        var seen = Set<Float>(), values: [Float] = []
        for v in x.scalars where !v.isNaN && seen.insert(v).inserted { values.append(v) }
        values.sort()
        values += x.scalars.filter(\.isNaN)
        return .tensor(Tensor(shape: [values.count], scalars: values, dtype: x.dtype))
    }

    /// `torch.allclose(a, b, rtol, atol, equal_nan)` and `torch.equal(a, b)`: Python bools.
    static let allclose: BuiltinFunction = { call in
        let args = try call.bind("input|a, other|b, rtol=1e-05, atol=1e-08, equal_nan=False")
        let (a, b) = (try args.tensor("input"), try args.tensor("other"))
        guard let shape = broadcastShape(a.shape, b.shape) else { throw EngineError.shapeMismatch(op: "allclose", a.shape, b.shape) }
        let (rtol, atol, nanEqual) = (try args.float("rtol"), try args.float("atol"), try args.bool("equal_nan"))
        let av = Kernels.expand(a.scalars, from: a.shape, to: shape), bv = Kernels.expand(b.scalars, from: b.shape, to: shape)
        return .bool(zip(av, bv).allSatisfy { x, y in
            if x.isNaN || y.isNaN { return nanEqual && x.isNaN && y.isNaN }
            return x == y || Swift.abs(x - y) <= atol + rtol * Swift.abs(y)
        })
    }

    static let functions: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [
            "torch.unique": unique,
            "np.unique": unique,
            "torch.allclose": allclose,
            "np.allclose": allclose,
            "torch.equal": { call in
                let args = try call.bind("input, other")
                let (a, b) = (try args.tensor("input"), try args.tensor("other"))
                return .bool(a.shape == b.shape && a.scalars == b.scalars)
            },
            // PyTorch
            "torch.sort": sort("input, dim=-1, descending=False, *, stable=False", output: .both) { try $0.bool("descending") },
            "torch.argsort": sort("input, dim=-1, descending=False, *, stable=False", output: .indices) { try $0.bool("descending") },
            "torch.topk": top("input, k, dim=-1, largest=True, sorted=True", largestName: "largest", indexType: .int64),
            "torch.cumsum": cumsum("input, dim, *, dtype=None", axisName: "dim", defaultAxis: nil),
            "torch.flip": flip("input, dims"),
            "torch.fliplr": { call in .tensor(try call.bind("input").tensor("input").flipped(axes: [1])) },
            "torch.flipud": { call in .tensor(try call.bind("input").tensor("input").flipped(axes: [0])) },
            "torch.gather": gather,
            "torch.take_along_dim": { call in
                let args = try call.bind("input, indices, dim=None")
                if args.isNone("dim") { return .tensor(try args.tensor("input").flattened().gather(axis: 0, index: args.tensor("indices").flattened())) }
                return .tensor(try args.tensor("input").gather(axis: args.int("dim"), index: args.tensor("indices")))
            },
            "torch.index_select": { call in
                let args = try call.bind("input, dim, index")
                return .tensor(try args.tensor("input").gatherSlices(axis: args.int("dim"), index: indexTensor(args, "index", api: "index_select"), wrap: false))
            },
            "torch.masked_select": { call in
                let args = try call.bind("input, mask")
                let x = try args.tensor("input"), mask = try args.tensor("mask")
                let shape = broadcastShape(x.shape, mask.shape) ?? x.shape
                let full = try x + Tensor.filled(0, shape: shape, dtype: x.dtype)
                let fullMask = try (mask.cast(.float32) + Tensor.filled(0, shape: shape)).stopGradient()
                return .tensor(try full.flattened().masked(by: fullMask.flattened()))
            },
            "torch.scatter": scatter(add: false),
            "torch.scatter_add": scatter(add: true),
            "torch.nan_to_num": nanToNum("input, nan=0.0, posinf=None, neginf=None"),
            "torch.arange": arange,
            "torch.full": full,
            "torch.full_like": fullLike,
            // TensorFlow
            "tf.sort": sort("values, axis=-1, direction='ASCENDING', name=None", output: .values, direction: tfDescending),
            "tf.argsort": sort("values, axis=-1, direction='ASCENDING', stable=False, name=None", output: .indices, direction: tfDescending, indexType: .int32),
            "tf.math.top_k": top("input, k=1, sorted=True, index_type=None, name=None", largestName: nil, indexType: .int32),
            "tf.math.cumsum": cumsum("x, axis=0, exclusive=False, reverse=False, name=None", axisName: "axis", defaultAxis: 0),
            "tf.gather": tfGather,
            "tf.range": tfRange,
            "tf.reverse": flip("tensor, axis, name=None"),
            "tf.math.multiply_no_nan": Common.binary("x, y, name=None") { x, y in
                try Tensor.select(y.compare(.equal, Tensor(0)), Tensor(0), x * y)
            },
            // Keras
            "ops.sort": sort("x, axis=-1", output: .values) { _ in false },
            "ops.argsort": sort("x, axis=-1", output: .indices, direction: { _ in false }, indexType: .int32),
            "ops.top_k": top("x, k, sorted=True", largestName: nil, indexType: .int32),
            "ops.cumsum": cumsum("x, axis=None, dtype=None", axisName: "axis", defaultAxis: nil),
            "ops.flip": flip("x, axis=None"),
            "ops.take_along_axis": takeAlongAxis,
            "ops.nan_to_num": nanToNum("x, nan=0.0, posinf=None, neginf=None"),
            "K.cumsum": cumsum("x, axis=0", axisName: "axis", defaultAxis: 0),
            "K.reverse": flip("x, axes"),
            "K.gather": { call in
                let args = try call.bind("reference, indices")
                return .tensor(try args.tensor("reference").gatherSlices(axis: 0, index: args.tensor("indices"), wrap: false))
            },
            // NumPy
            "np.sort": sort("a, axis=-1, kind=None, order=None", output: .values) { _ in false },
            "np.argsort": sort("a, axis=-1, kind=None, order=None", output: .indices) { _ in false },
            "np.cumsum": cumsum("a, axis=None, dtype=None, out=None", axisName: "axis", defaultAxis: nil),
            "np.flip": flip("m, axis=None"),
            "np.take_along_axis": takeAlongAxis,
            "np.nan_to_num": nanToNum("x, copy=True, nan=0.0, posinf=None, neginf=None"),
            "np.arange": arange,
        ]
        for (name, test) in finiteness {
            table["torch." + name] = Common.unary("input", test)
            table["np." + name] = Common.unary("x", test)
            table["ops." + name] = Common.unary("x", test)
        }
        table["tf.math.is_nan"] = Common.unary("x, name=None", finiteness["isnan"]!)
        table["tf.math.is_inf"] = Common.unary("x, name=None", finiteness["isinf"]!)
        table["tf.math.is_finite"] = Common.unary("x, name=None", finiteness["isfinite"]!)
        table["tf.cumsum"] = table["tf.math.cumsum"]
        table["tf.nn.top_k"] = table["tf.math.top_k"]
        table["tf.is_nan"] = table["tf.math.is_nan"]
        table["tf.is_inf"] = table["tf.math.is_inf"]
        for (name, type) in TensorMethods.legacyTypes {
            table["torch." + name] = legacyConstructor(type)
            table["torch.cuda." + name] = legacyConstructor(type)
        }
        return table
    }()

    /// The same APIs as tensor methods (`t.sort(dim=0, descending=True)`, `t.cumsum(0)`, `t.gather(1, idx)`).
    static let methods: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [
            "sort": { call in
                if Common.usesTorch(call) { return try sort("self, dim=-1, descending=False, *, stable=False", output: .both) { try $0.bool("descending") }(call) }
                return try sort("self, axis=-1, kind=None, order=None", output: .values) { _ in false }(call)
            },
            "argsort": { call in
                if Common.usesTorch(call) { return try sort("self, dim=-1, descending=False, *, stable=False", output: .indices) { try $0.bool("descending") }(call) }
                return try sort("self, axis=-1, kind=None, order=None", output: .indices) { _ in false }(call)
            },
            "topk": top("self, k, dim=-1, largest=True, sorted=True", largestName: "largest", indexType: .int64),
            "cumsum": { call in
                if Common.usesTorch(call) { return try cumsum("self, dim, *, dtype=None", axisName: "dim", defaultAxis: nil)(call) }
                return try cumsum("self, axis=None, dtype=None, out=None", axisName: "axis", defaultAxis: nil)(call)
            },
            "flip": { call in try flipMethod(call) },
            "gather": { call in
                let args = try call.bind("self, dim, index, *, sparse_grad=False")
                return .tensor(try args.tensor("self").gather(axis: args.int("dim"), index: indexTensor(args, "index", api: "gather")))
            },
            "index_select": { call in
                let args = try call.bind("self, dim, index")
                return .tensor(try args.tensor("self").gatherSlices(axis: args.int("dim"), index: indexTensor(args, "index", api: "index_select"), wrap: false))
            },
            "scatter": { call in try scatter(add: false)(call) },
            "scatter_add": { call in try scatter(add: true)(call) },
            "nan_to_num": nanToNum("self, nan=0.0, posinf=None, neginf=None"),
            "where": { call in
                let args = try call.bind("self, condition, other")
                return .tensor(try Tensor.select(args.tensor("condition"), args.tensor("self"), args.tensor("other")))
            },
        ]
        // In-place forms return the result; a caller that ignores it keeps the old tensor (see the report).
        table["scatter_"] = table["scatter"]
        table["scatter_add_"] = table["scatter_add"]
        table["nan_to_num_"] = table["nan_to_num"]
        for (name, test) in finiteness { table[name] = Common.unary("self", test) }
        return table
    }()
}

extension Value {
    /// Whether the value is a Python float (for the dtype `torch.full` infers).
    var isFloat: Bool { if case .float = self { true } else { false } }
}
