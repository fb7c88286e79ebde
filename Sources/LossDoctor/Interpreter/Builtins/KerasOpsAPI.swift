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
            "ops.log": Common.unary { try $0.log() },
            "ops.log1p": Common.unary { try (1 + $0).log() },
            "ops.exp": Common.unary { try $0.exp() },
            "ops.sqrt": Common.unary { try $0.sqrt() },
            "ops.square": Common.unary { try $0.squared() },
            "ops.abs": Common.unary { try $0.abs() },
            "ops.absolute": Common.unary { try $0.abs() },
            "ops.negative": Common.unary { try -$0 },
            "ops.reciprocal": Common.unary { try 1 / $0 },
            "ops.sigmoid": Common.unary { try $0.sigmoid() },
            "ops.log_sigmoid": Common.unary { try $0.logSigmoid() },
            "ops.softplus": Common.unary { try $0.softplus() },
            "ops.tanh": Common.unary { try $0.tanh() },
            "ops.relu": Common.unary { try Tensor.maximum($0, 0) },
            "ops.round": Common.unary("x, decimals=0") { try $0.rounded() },
            "ops.floor": Common.unary { try $0.floor() },
            "ops.ceil": Common.unary { try $0.ceil() },
            "ops.sign": Common.unary { try $0.sign() },
            "ops.stop_gradient": Common.unary("variable") { try $0.stopGradient() },
            "ops.softmax": Common.softmax("x, axis=-1", log: false),
            "ops.log_softmax": Common.softmax("x, axis=-1", log: true),
            "ops.power": Common.binary("x1, x2") { try $0.pow($1) },
            "ops.add": Common.binary("x1, x2") { try $0 + $1 },
            "ops.subtract": Common.binary("x1, x2") { try $0 - $1 },
            "ops.multiply": Common.binary("x1, x2") { try $0 * $1 },
            "ops.divide": Common.binary("x1, x2") { try $0 / $1 },
            "ops.true_divide": Common.binary("x1, x2") { try $0 / $1 },
            "ops.floor_divide": Common.binary("x1, x2") { try $0.floorDivided(by: $1) },
            "ops.mod": Common.binary("x1, x2") { try $0 % $1 },
            "ops.maximum": Common.binary("x1, x2") { try Tensor.maximum($0, $1) },
            "ops.minimum": Common.binary("x1, x2") { try Tensor.minimum($0, $1) },
            "ops.greater": Common.binary("x1, x2") { try $0.compare(.greater, $1) },
            "ops.greater_equal": Common.binary("x1, x2") { try $0.compare(.greaterEqual, $1) },
            "ops.less": Common.binary("x1, x2") { try $0.compare(.less, $1) },
            "ops.less_equal": Common.binary("x1, x2") { try $0.compare(.lessEqual, $1) },
            "ops.equal": Common.binary("x1, x2") { try $0.compare(.equal, $1) },
            "ops.not_equal": Common.binary("x1, x2") { try $0.compare(.notEqual, $1) },
            "ops.logical_and": Common.binary("x1, x2") { try ($0.cast(.bool) * $1.cast(.bool)).cast(.bool) },
            "ops.logical_or": Common.binary("x1, x2") { try Tensor.maximum($0.cast(.bool), $1.cast(.bool)).cast(.bool) },
            "ops.logical_not": Common.unary { try $0.compare(.equal, Tensor(0)) },
            "ops.matmul": Common.binary("x1, x2") { try Common.matmul($0, $1) },
            "ops.dot": Common.binary("x1, x2") { try Common.matmul($0, $1) },
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
        ]
        table["ops.nn.sigmoid"] = table["ops.sigmoid"]
        table["ops.nn.softmax"] = table["ops.softmax"]
        table["ops.nn.log_softmax"] = table["ops.log_softmax"]
        table["ops.nn.binary_crossentropy"] = table["ops.binary_crossentropy"]
        return table
    }()
}
