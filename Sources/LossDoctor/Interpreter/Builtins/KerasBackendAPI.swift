/// `keras.backend` (imported as `K`), as TensorFlow's Keras defines it: reductions default to all axes
/// without keepdims, `epsilon()` is 1e-7, cross-entropies clip probabilities to [eps, 1 - eps] (and
/// `binary_crossentropy` adds eps inside its logs, as the legacy backend does).
enum KerasBackendAPI {
    static let functions: [String: BuiltinFunction] = Common.elementwise("K.", [
        "log", "exp", "sqrt", "abs", "square", "round", "sign", "sigmoid", "tanh", "softplus", "relu", "maximum", "minimum",
        "greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
    ], unary: "x", binary: "x, y").merging([
        "K.stop_gradient": Common.unary("variables") { try $0.stopGradient() },
        "K.pow": Common.binary("x, a") { try $0.pow($1) },
        "K.sum": Common.reduction(.sum, "x, axis=None, keepdims=False"),
        "K.mean": Common.reduction(.mean, "x, axis=None, keepdims=False"),
        "K.max": Common.reduction(.max, "x, axis=None, keepdims=False"),
        "K.min": Common.reduction(.min, "x, axis=None, keepdims=False"),
        "K.flatten": Common.unary("x") { try $0.flattened() },
        "K.batch_flatten": Common.unary("x") { x in try x.reshaped([x.shape.first ?? 1, -1]) },
        "K.epsilon": { call in _ = try call.bind(""); return .float(Double(LossMath.kerasEpsilon)) },
        "K.floatx": { call in _ = try call.bind(""); return .string("float32") },
        // Keras' default; segmentation-models' Keras losses pick their reduction axes from it.
        "K.image_data_format": { call in _ = try call.bind(""); return .string("channels_last") },
        "K.clip": Common.clip("x, min_value, max_value"),
        "K.softmax": Common.softmax("x, axis=-1", log: false),
        "K.cast": Common.castFunction("x, dtype"),
        "K.switch": Common.select("condition, then_expression, else_expression"),
        "K.ones_like": Common.filledLike(1, "x, dtype=None, name=None"),
        "K.zeros_like": Common.filledLike(0, "x, dtype=None, name=None"),
        "K.binary_crossentropy": { call in
            let args = try call.bind("target, output, from_logits=False")
            let (target, output) = (try args.tensor("target"), try args.tensor("output"))
            if try args.bool("from_logits") { return .tensor(try Common.binaryCrossEntropyWithLogits(target, output, tensorFlow: true, call: call)) }
            return .tensor(try LossMath.legacyKerasBinaryCrossEntropy(target, output))
        },
        "K.categorical_crossentropy": { call in
            let args = try call.bind("target, output, from_logits=False, axis=-1")
            return .tensor(try Common.kerasCategoricalCrossEntropy(args.tensor("target"), args.tensor("output"),
                                                                   fromLogits: args.bool("from_logits"), axis: args.int("axis"), call: call))
        },
        "K.int_shape": { call in Common.shapeTuple(try call.bind("x").tensor("x")) },
        "K.shape": { call in Common.shapeTuple(try call.bind("x").tensor("x")) },
        "K.ndim": { call in .int(try call.bind("x").tensor("x").shape.count) },
        "K.dot": Common.binary("x, y") { try Common.matmul($0, $1) },
        "K.transpose": Common.unary { try $0.transposed() },
        "K.argmax": Common.argmax("x, axis=-1"),
        "K.one_hot": { call in
            let args = try call.bind("indices, num_classes")
            return .tensor(try args.tensor("indices").oneHot(depth: args.int("num_classes")))
        },
        "K.reshape": Common.reshape("x, shape"),
        "K.expand_dims": Common.expandDims("x, axis=-1"),
        "K.squeeze": Common.squeeze("x, axis"),
        "K.permute_dimensions": Common.transpose("x, pattern"),
        "K.concatenate": Common.concat("tensors, axis=-1"),
        "K.stack": Common.stack("x, axis=0"),
        "K.constant": { call in
            let args = try call.bind("value, dtype=None, shape=None, name=None")
            return .tensor(try call.interpreter.tensor(args["value"], site: call.site).cast(args.dtype("dtype") ?? .float32))
        },
    ]) { first, _ in first }
}
