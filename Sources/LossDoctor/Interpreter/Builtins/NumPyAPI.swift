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
            "round": Common.unary("a, decimals=0, out=None") { try $0.rounded() },
            "clip": Common.clip("a, a_min=None, a_max=None, out=None"),
            "where": Common.select("condition, x=None, y=None"),
            "dot": Common.binary("a, b") { try Common.matmul($0, $1) },
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
            // Memory layout is not modelled: every array is contiguous (MONAI's conversions call it).
            "ascontiguousarray": Common.constant("a, dtype=None, *, like=None"),
            "shape": { call in Common.shapeTuple(try call.bind("a").tensor("a")) },
            "size": { call in .int(try call.bind("a").tensor("a").count) },
            "ndim": { call in .int(try call.bind("a").tensor("a").shape.count) },
        ]
        numpy["amax"] = numpy["max"]
        numpy["amin"] = numpy["min"]
        numpy["around"] = numpy["round"]
        numpy["concat"] = numpy["concatenate"]
        var table = Common.elementwise("np.", [
            "log", "log1p", "exp", "sqrt", "abs", "absolute=abs", "square", "negative", "reciprocal", "tanh", "cosh", "sinh", "floor",
            "ceil", "sign", "logical_not", "maximum", "minimum", "power", "add", "subtract", "multiply", "divide", "true_divide=divide",
            "floor_divide", "mod", "greater", "greater_equal", "less", "less_equal", "equal", "not_equal", "logical_and",
            "logical_or", "matmul",
        ], unary: "x", binary: "x1, x2")
        for (name, function) in numpy { table["np." + name] = function }
        return table
    }()
}
