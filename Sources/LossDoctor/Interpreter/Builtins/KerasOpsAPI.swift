/// `keras.ops` (imported as `ops`, also `tf.keras.ops`), Keras 3's backend-neutral API. It mirrors NumPy:
/// reductions take `axis=None, keepdims=False`, `argmax` without an axis looks at the flattened tensor,
/// `binary_crossentropy` is elementwise. [keras/src/ops/numpy.py, nn.py]
enum KerasOpsAPI {
    static let functions: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [
            "ops.sum": Common.reduction(.sum, "x, axis=None, keepdims=False"),
            "ops.mean": Common.reduction(.mean, "x, axis=None, keepdims=False"),
            "ops.max": Common.reduction(.max, "x, axis=None, keepdims=False, initial=None"),
            "ops.min": Common.reduction(.min, "x, axis=None, keepdims=False, initial=None"),
            "ops.amax": Common.reduction(.max, "x, axis=None, keepdims=False"),
            "ops.amin": Common.reduction(.min, "x, axis=None, keepdims=False"),
            "ops.logsumexp": { call in
                let args = try call.bind("x, axis=None, keepdims=False")
                return .tensor(try Common.logSumExp(args.tensor("x"), axes: args.axes("axis"), keepDims: args.bool("keepdims")))
            },
            "ops.round": Common.unary("x, decimals=0") { try $0.rounded() },
            "ops.softmax": Common.softmax("x, axis=-1", log: false),
            "ops.log_softmax": Common.softmax("x, axis=-1", log: true),
            "ops.clip": Common.clip("x, x_min, x_max"),
            "ops.where": Common.select("condition, x1=None, x2=None"),
            "ops.cast": Common.castFunction("x, dtype"),
            "ops.convert_to_tensor": Common.constant("x, dtype=None, sparse=None, ragged=None"),
            "ops.reshape": Common.reshape("x, newshape"),
            "ops.ravel": Common.unary { try $0.flattened() },
            "ops.expand_dims": Common.expandDims("x, axis"),
            "ops.squeeze": Common.squeeze("x, axis=None"),
            "ops.transpose": Common.transpose("x, axes=None"),
            "ops.concatenate": Common.concat("xs, axis=0"),
            "ops.stack": Common.stack("x, axis=0"),
            "ops.argmax": Common.argmax("x, axis=None, keepdims=False"),
            "ops.ones_like": Common.filledLike(1, "x, dtype=None"),
            "ops.zeros_like": Common.filledLike(0, "x, dtype=None"),
            "ops.ones": Common.filled(1, "shape, dtype=None"),
            "ops.zeros": Common.filled(0, "shape, dtype=None"),
            "ops.shape": { call in Common.shapeTuple(try call.bind("x").tensor("x")) },
            "ops.size": { call in .int(try call.bind("x").tensor("x").count) },
            "ops.ndim": { call in .int(try call.bind("x").tensor("x").shape.count) },
            "ops.one_hot": { call in
                let args = try call.bind("x, num_classes, axis=-1, dtype=None, sparse=False")
                let encoded = try Common.oneHot(args.tensor("x"), depth: args.int("num_classes"), axis: args.int("axis"))
                guard let type = try args.dtype("dtype"), type != .float32 else { return .tensor(encoded) }
                return .tensor(try encoded.cast(type))
            },
            "ops.binary_crossentropy": { call in
                let args = try call.bind("target, output, from_logits=False")
                return .tensor(try Common.kerasBinaryCrossEntropy(args.tensor("target"), args.tensor("output"),
                                                                  fromLogits: args.bool("from_logits"), call: call))
            },
            "ops.categorical_crossentropy": { call in
                let args = try call.bind("target, output, from_logits=False, axis=-1")
                return .tensor(try Common.kerasCategoricalCrossEntropy(args.tensor("target"), args.tensor("output"),
                                                                       fromLogits: args.bool("from_logits"), axis: args.int("axis"), call: call))
            },
            "keras.config.epsilon": { call in _ = try call.bind(""); return .float(Double(LossMath.kerasEpsilon)) },
            "keras.config.floatx": { call in _ = try call.bind(""); return .string("float32") },
            "keras.config.image_data_format": { call in _ = try call.bind(""); return .string("channels_last") },
        ]
        table.merge(Common.elementwise("ops.", [
            "log", "log1p", "exp", "sqrt", "square", "abs", "absolute=abs", "negative", "reciprocal", "sigmoid", "log_sigmoid",
            "softplus", "tanh", "relu", "floor", "ceil", "sign", "logical_not", "power", "add", "subtract", "multiply", "divide",
            "true_divide=divide", "floor_divide", "mod", "maximum", "minimum", "greater", "greater_equal", "less", "less_equal",
            "equal", "not_equal", "logical_and", "logical_or", "matmul", "dot=matmul",
        ], unary: "x", binary: "x1, x2")) { first, _ in first }
        table["ops.stop_gradient"] = Common.unary("variable") { try $0.stopGradient() }
        table["ops.nn.sigmoid"] = table["ops.sigmoid"]
        table["ops.nn.softmax"] = table["ops.softmax"]
        table["ops.nn.log_softmax"] = table["ops.log_softmax"]
        table["ops.nn.binary_crossentropy"] = table["ops.binary_crossentropy"]
        return table
    }()
}
