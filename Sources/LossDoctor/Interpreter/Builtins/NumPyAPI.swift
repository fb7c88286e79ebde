/// NumPy (`np.*`) as NumPy defines it: `axis=None, keepdims=False` reductions, `argmax` over the
/// flattened array by default, `np.round` half to even. NumPy has no autodiff: LossDoctor still
/// differentiates through it, to show what the same code would do in a framework.
enum NumPyAPI {
    static let functions: [String: BuiltinFunction] = {
        var numpy: [String: BuiltinFunction] = [
            "sum": Common.reduction(.sum, "a, axis=None, keepdims=False, dtype=None, out=None"),
            "mean": Common.reduction(.mean, "a, axis=None, keepdims=False, dtype=None, out=None"),
            "max": Common.reduction(.max, "a, axis=None, keepdims=False, out=None, initial=None"),
            "min": Common.reduction(.min, "a, axis=None, keepdims=False, out=None, initial=None"),
            "log": Common.unary { try $0.log() },
            "log1p": Common.unary { try (1 + $0).log() },
            "exp": Common.unary { try $0.exp() },
            "sqrt": Common.unary { try $0.sqrt() },
            "abs": Common.unary { try $0.abs() },
            "square": Common.unary { try $0.squared() },
            "negative": Common.unary { try -$0 },
            "reciprocal": Common.unary { try 1 / $0 },
            "tanh": Common.unary { try $0.tanh() },
            "round": Common.unary("a, decimals=0, out=None") { try $0.rounded() },
            "floor": Common.unary { try $0.floor() },
            "ceil": Common.unary { try $0.ceil() },
            "sign": Common.unary { try $0.sign() },
            "clip": Common.clip("a, a_min=None, a_max=None, out=None"),
            "where": Common.select("condition, x=None, y=None"),
            "maximum": Common.binary("x1, x2") { try Tensor.maximum($0, $1) },
            "minimum": Common.binary("x1, x2") { try Tensor.minimum($0, $1) },
            "power": Common.binary("x1, x2") { try $0.pow($1) },
            "add": Common.binary("x1, x2") { try $0 + $1 },
            "subtract": Common.binary("x1, x2") { try $0 - $1 },
            "multiply": Common.binary("x1, x2") { try $0 * $1 },
            "divide": Common.binary("x1, x2") { try $0 / $1 },
            "floor_divide": Common.binary("x1, x2") { try $0.floorDivided(by: $1) },
            "mod": Common.binary("x1, x2") { try $0 % $1 },
            "greater": Common.binary("x1, x2") { try $0.compare(.greater, $1) },
            "less": Common.binary("x1, x2") { try $0.compare(.less, $1) },
            "equal": Common.binary("x1, x2") { try $0.compare(.equal, $1) },
            "logical_and": Common.binary("x1, x2") { try ($0.cast(.bool) * $1.cast(.bool)).cast(.bool) },
            "logical_not": Common.unary { try $0.compare(.equal, Tensor(0)) },
            "dot": Common.binary("a, b") { try Common.matmul($0, $1) },
            "matmul": Common.binary("x1, x2") { try Common.matmul($0, $1) },
            "ones_like": Common.filledLike(1, "a, dtype=None"),
            "zeros_like": Common.filledLike(0, "a, dtype=None"),
            "ones": Common.filled(1, "shape, dtype=None"),
            "zeros": Common.filled(0, "shape, dtype=None"),
            "reshape": Common.reshape("a, newshape|shape"),
            "ravel": Common.unary("a") { try $0.flattened() },
            "expand_dims": Common.expandDims("a, axis"),
            "squeeze": Common.squeeze("a, axis=None"),
            "transpose": Common.transpose("a, axes=None"),
            "concatenate": Common.concat("arrays, axis=0"),
            "stack": Common.stack("arrays, axis=0"),
            "argmax": Common.argmax("a, axis=None, out=None, keepdims=False"),
            "array": Common.constant("object, dtype=None, copy=True"),
            "asarray": Common.constant("a, dtype=None"),
            "shape": { call in Common.shapeTuple(try call.bind("a").tensor("a")) },
            "size": { call in .int(try call.bind("a").tensor("a").count) },
            "ndim": { call in .int(try call.bind("a").tensor("a").shape.count) },
        ]
        numpy["amax"] = numpy["max"]
        numpy["amin"] = numpy["min"]
        numpy["absolute"] = numpy["abs"]
        numpy["around"] = numpy["round"]
        numpy["true_divide"] = numpy["divide"]
        numpy["concat"] = numpy["concatenate"]
        var table: [String: BuiltinFunction] = [:]
        for (name, function) in numpy { table["np." + name] = function }
        return table
    }()
}
