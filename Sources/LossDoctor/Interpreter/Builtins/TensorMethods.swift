/// Methods of tensors, merged over PyTorch, TensorFlow and NumPy (`t.sum(dim=1)`, `a.sum(axis=1)`,
/// `t.numpy()`). The receiver is the first argument (`self`), so most entries reuse the builders of
/// the module-level functions. Where the frameworks disagree (`t.max(1)`, `t.transpose(0, 1)`,
/// `t.squeeze(1)`), PyTorch's meaning applies in files that import torch, NumPy's elsewhere.
enum TensorMethods {
    /// `t.view(4, -1)` / `t.view((4, -1))`: the shape after the receiver.
    static func reshapeMethod(_ call: Call) throws -> Value {
        guard let x = call.positional.first?.tensor else { throw call.error("\(call.name)() needs a tensor") }
        var sizes = Array(call.positional.dropFirst())
        for (name, value) in call.keywords {
            guard ["shape", "size", "newshape"].contains(name) else { throw call.error("\(call.name)() got an unexpected keyword argument '\(name)'") }
            sizes = [value]
        }
        return .tensor(try x.reshaped(Common.shape(sizes, call: call)))
    }

    /// The receiver and the integers after it (`permute(0, 2, 1)`, `repeat(1, 3)`), or one sequence of them.
    static func receiverAndInts(_ call: Call, keyword: String) throws -> (Tensor, [Int]) {
        guard let x = call.positional.first?.tensor else { throw call.error("\(call.name)() needs a tensor") }
        var rest = Array(call.positional.dropFirst())
        for (name, value) in call.keywords {
            guard name == keyword else { throw call.error("\(call.name)() got an unexpected keyword argument '\(name)'") }
            rest = [value]
        }
        return (x, try rest.isEmpty ? [] : Common.shape(rest, call: call))
    }

    /// `t.to(torch.float32)`, `t.to('cuda')`, `t.to(device, dtype=...)`, `t.to(other)`: only the dtype matters.
    static func to(_ call: Call) throws -> Value {
        guard let x = call.positional.first?.tensor else { throw call.error("to() needs a tensor") }
        var type: DType?
        for value in call.positional.dropFirst() + call.keywords.filter({ $0.name == "dtype" || $0.name == "other" }).map(\.value) {
            switch value {
            case .dtype(let t): type = t
            case .tensor(let other): type = other.dtype
            default: continue  // a device
            }
        }
        guard let type, type != x.dtype else { return .tensor(x) }
        return .tensor(try Common.cast(x, to: type, call: call))
    }

    /// `x.new_zeros(2, 3)`, `x.new_ones((2, 3), dtype=...)`: a constant, of the receiver's dtype unless one is given.
    static func newFilled(_ value: Float) -> BuiltinFunction {
        { call in
            guard let x = call.positional.first?.tensor else { throw call.error("\(call.name)() needs a tensor") }
            let (shape, dtype) = try TorchAPI.sizesAndType(Array(call.positional.dropFirst()), call,
                                                           ignoring: ["device", "requires_grad", "layout", "pin_memory"])
            return .tensor(try Tensor.filled(value, shape: shape, dtype: dtype ?? x.dtype))
        }
    }

    /// PyTorch's legacy type names (`'torch.FloatTensor'`, `torch.cuda.LongTensor`).
    static let legacyTypes: [String: DType] = [
        "FloatTensor": .float32, "DoubleTensor": .float64, "HalfTensor": .float16, "LongTensor": .int64,
        "IntTensor": .int32, "ShortTensor": .int16, "CharTensor": .int8, "ByteTensor": .uint8, "BoolTensor": .bool,
    ]

    /// A tensor as nested Python lists of numbers (`t.tolist()`): values leave the graph.
    static func pythonList(_ t: Tensor) -> Value {
        func number(_ v: Float) -> Value {
            t.dtype.isFloatingPoint ? .float(Double(v)) : t.dtype == .bool ? .bool(v != 0) : Int(exactly: v.rounded(.towardZero)).map(Value.int) ?? .float(Double(v))
        }
        func build(_ axis: Int, _ offset: Int) -> Value {
            guard axis < t.shape.count else { return number(t.scalars[offset]) }
            let stride = t.shape[(axis + 1)...].reduce(1, *)
            return .list(ListBox((0..<t.shape[axis]).map { build(axis + 1, offset + $0 * stride) }))
        }
        return build(0, 0)
    }

    /// `t.repeat(2, 1)` (PyTorch) tiles the tensor; extra leading sizes add axes.
    static func tiled(_ x: Tensor, _ repeats: [Int]) throws -> Tensor {
        guard repeats.count >= x.shape.count else {
            throw EngineError.invalidArgument("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
        }
        guard repeats.allSatisfy({ $0 > 0 }) else { throw EngineError.invalidArgument("repeat counts must be positive") }
        let total = elementCount([x.count] + repeats)  // checked before the copies are listed
        if total > Tensor.elementLimit { throw EngineError.tooLarge(elements: total, limit: Tensor.elementLimit) }
        var result = try x.reshaped([Int](repeating: 1, count: repeats.count - x.shape.count) + x.shape)
        for (axis, count) in repeats.enumerated() where count != 1 {
            result = try Tensor.concat(Array(repeating: result, count: count), axis: axis)
        }
        return result
    }

    static let functions: [String: BuiltinFunction] = {
        let reduceSignature = "self, dim|axis=None, keepdim|keepdims=False, dtype=None"
        var table: [String: BuiltinFunction] = [
            "sum": Common.reduction(.sum, reduceSignature),
            "mean": Common.reduction(.mean, reduceSignature),
            "prod": TorchAPI.product,
            "amax": Common.reduction(.max, "self, dim|axis=None, keepdim|keepdims=False"),
            "amin": Common.reduction(.min, "self, dim|axis=None, keepdim|keepdims=False"),
            "max": { call in Common.usesTorch(call) ? try TorchAPI.extremum(.max)(call) : try Common.reduction(.max, "self, axis=None, out=None, keepdims=False")(call) },
            "min": { call in Common.usesTorch(call) ? try TorchAPI.extremum(.min)(call) : try Common.reduction(.min, "self, axis=None, out=None, keepdims=False")(call) },
            "any": { call in
                let args = try call.bind("self, dim|axis=None, keepdim|keepdims=False")
                return .tensor(try args.tensor("self").cast(.bool).cast(.float32).reduce(.max, axes: args.axes("dim"), keepDims: args.bool("keepdim")).cast(.bool))
            },
            "all": { call in
                let args = try call.bind("self, dim|axis=None, keepdim|keepdims=False")
                return .tensor(try args.tensor("self").cast(.bool).cast(.float32).reduce(.min, axes: args.axes("dim"), keepDims: args.bool("keepdim")).cast(.bool))
            },
            "logsumexp": { call in
                let args = try call.bind("self, dim|axis, keepdim|keepdims=False")
                return .tensor(try Common.logSumExp(args.tensor("self"), axes: args.axes("dim"), keepDims: args.bool("keepdim")))
            },
            "argmax": Common.argmax("self, dim|axis=None, keepdim|keepdims=False"),
            "softmax": Common.softmax("self, dim, dtype=None", log: false),
            "log_softmax": Common.softmax("self, dim, dtype=None", log: true),
            "round": Common.unary("self, decimals=0") { try $0.rounded() },
            "clamp": Common.clip("self, min=None, max=None"),
            "clip": Common.clip("self, min|a_min=None, max|a_max=None, out=None"),
            "clamp_min": Common.clip("self, min, max=None"),
            "clamp_max": Common.clip("self, max, min=None"),
            "float": Common.castTo(.float32, "self, memory_format=None"),
            "double": Common.castTo(.float64, "self, memory_format=None"),
            "half": Common.castTo(.float16, "self, memory_format=None"),
            "long": Common.castTo(.int64, "self, memory_format=None"),
            "int": Common.castTo(.int32, "self, memory_format=None"),
            "byte": Common.castTo(.uint8, "self, memory_format=None"),
            "bool": Common.castTo(.bool, "self, memory_format=None"),
            "astype": Common.castFunction("self, dtype, order=None, casting=None, subok=None, copy=True"),
            "type_as": { call in
                let args = try call.bind("self, other")
                let (x, other) = (try args.tensor("self"), try args.tensor("other"))
                return .tensor(x.dtype == other.dtype ? x : try Common.cast(x, to: other.dtype, call: call))
            },
            "type": { call in
                let args = try call.bind("self, dtype=None, non_blocking=False")
                let x = try args.tensor("self")
                if args.isNone("dtype") {
                    let name = legacyTypes.first { $0.value == x.dtype }?.key ?? "FloatTensor"
                    return .string("torch." + name)
                }
                var type: DType?
                if case .string(let s) = args["dtype"], let legacy = legacyTypes[String(s.split(separator: ".").last ?? "")] {
                    type = legacy
                } else if case .module(let path) = args["dtype"], let legacy = legacyTypes[String(path.split(separator: ".").last ?? "")] {
                    type = legacy
                } else {
                    type = try args.dtype("dtype")
                }
                guard let type, type != x.dtype else { return .tensor(x) }
                return .tensor(try Common.cast(x, to: type, call: call))
            },
            "to": { call in try to(call) },
            // `x.new_zeros(n, c)`: a constant of the receiver's dtype (kornia's and toolbelt's bookkeeping tensors).
            "new_zeros": newFilled(0),
            "new_ones": newFilled(1),
            "new_empty": newFilled(0),
            "new_full": { call in
                let args = try call.bind("self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False")
                let x = try args.tensor("self")
                return .tensor(try Tensor.filled(args.float("fill_value"), shape: Common.shape([args["size"]], call: call), dtype: args.dtype("dtype") ?? x.dtype))
            },
            "new_tensor": { call in
                let args = try call.bind("self, data, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False")
                let data = try call.interpreter.tensor(args["data"], site: call.site)
                let type = try args.dtype("dtype") ?? args.tensor("self").dtype
                return .tensor(type == data.dtype ? try data.stopGradient() : try Common.cast(data.stopGradient(), to: type, call: call))
            },
            "view": { call in try reshapeMethod(call) },
            "reshape": { call in try reshapeMethod(call) },
            "view_as": Common.binary("self, other") { x, other in try x.reshaped(other.shape) },
            "reshape_as": Common.binary("self, other") { x, other in try x.reshaped(other.shape) },
            "expand_as": Common.binary("self, other") { x, other in try x + Tensor.filled(0, shape: other.shape, dtype: x.dtype) },
            "expand": { call in
                let (x, sizes) = try receiverAndInts(call, keyword: "size")
                let offset = sizes.count - x.shape.count
                guard offset >= 0 else { throw call.error("RuntimeError: the number of sizes provided (\(sizes.count)) must be greater or equal to the number of dimensions in the tensor (\(x.shape.count))") }
                let shape = sizes.enumerated().map { i, s in s == -1 && i >= offset ? x.shape[i - offset] : s }
                return .tensor(try x + Tensor.filled(0, shape: shape, dtype: x.dtype))
            },
            "repeat": { call in
                let (x, sizes) = try receiverAndInts(call, keyword: "repeats")
                return .tensor(try tiled(x, sizes))
            },
            "flatten": { call in
                if !Common.usesTorch(call) { return .tensor(try call.bind("self, order='C'").tensor("self").flattened()) }
                let args = try call.bind("self, start_dim=0, end_dim=-1")
                return .tensor(try Common.flatten(args.tensor("self"), start: args.int("start_dim"), end: args.int("end_dim")))
            },
            "ravel": Common.unary("self") { try $0.flattened() },
            "permute": { call in
                let (x, dims) = try receiverAndInts(call, keyword: "dims")
                return .tensor(try x.transposed(dims))
            },
            "transpose": { call in
                let (x, dims) = try receiverAndInts(call, keyword: Common.usesTorch(call) ? "dim0" : "axes")
                if Common.usesTorch(call) {
                    guard dims.count == 2 else { throw call.error("TypeError: transpose() takes 2 dimensions (dim0, dim1), got \(dims.count)") }
                    return .tensor(try Common.swapAxes(x, dims[0], dims[1]))
                }
                return .tensor(try x.transposed(dims.isEmpty ? nil : dims))
            },
            "t": Common.unary("self") { try $0.transposed() },
            "squeeze": { call in
                try Common.squeeze("self, dim|axis=None", lenient: Common.usesTorch(call))(call)
            },
            "unsqueeze": Common.expandDims("self, dim"),
            "size": { call in
                let args = try call.bind("self, dim=None")
                let x = try args.tensor("self")
                if args.isNone("dim") { return Common.shapeTuple(x) }
                guard let axis = normalizedAxes([try args.int("dim")], rank: x.shape.count)?.first else {
                    throw call.error("IndexError: Dimension out of range (expected to be in range of [\(-x.shape.count), \(x.shape.count - 1)], but got \(try args.int("dim")))")
                }
                return .int(x.shape[axis])
            },
            "get_shape": { call in Common.shapeTuple(try call.bind("self").tensor("self")) },
            "dim": { call in .int(try call.bind("self").tensor("self").shape.count) },
            "numel": { call in .int(try call.bind("self").tensor("self").count) },
            "item": { call in try Common.scalarConversion(call.bind("self").tensor("self"), api: ".item()", call: call) },
            "tolist": { call in
                let t = try call.bind("self").tensor("self")
                try call.interpreter.allocate(items: t.count, at: call.site)
                return pythonList(t)
            },
            "numpy": { call in
                let x = try call.bind("self, force=False").tensor("self")
                if x.requiresGrad && Common.usesTorch(call) {
                    call.notice(.numpyOfGradientTensor)
                }
                return .tensor(try x.stopGradient())
            },
            "detach": Common.unary("self") { try $0.stopGradient() },
            "clone": Common.unary("self, memory_format=None") { $0 },
            "copy": Common.unary("self, order='C'") { $0 },
            "contiguous": Common.unary("self, memory_format=None") { $0 },
            "cpu": Common.unary("self, memory_format=None") { $0 },
            "cuda": Common.unary("self, device=None, non_blocking=False, memory_format=None") { $0 },
            "requires_grad_": Common.unary("self, requires_grad=True") { $0 },
        ]
        table.merge(Common.elementwise("", TorchAPI.torchElementwise, unary: "self", binary: "self, other")) { first, _ in first }
        // Methods that are the module-level PyTorch function with the tensor first.
        for name in ["div", "divide", "add", "sub", "subtract", "pow", "masked_fill", "is_floating_point"] {
            table[name] = TorchAPI.functions["torch." + name]!
        }
        // In-place forms compute the same values; as a statement, the result is bound back to the receiver
        // (Interpreter.bindInPlaceResult).
        for name in ["add", "sub", "mul", "div", "pow", "clamp", "clamp_min", "clamp_max", "masked_fill", "exp", "log",
                     "sigmoid", "abs", "neg", "sqrt", "floor", "ceil", "round", "sign"] where table[name + "_"] == nil {
            table[name + "_"] = table[name]
        }
        table["nelement"] = table["numel"]
        table["ndimension"] = table["dim"]
        return table
    }()
}
