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
        "K.dot": { call in
            // keras/src/legacy/backend.py (Keras 3.15, `tensorflow.keras.backend` in TF 2.21): above rank 2, x (..., k)
            // against y (..., k, n) as two matrices; else `tf.matmul`, which takes two matrices and nothing else.
            let args = try call.bind("x, y")
            let (x, y) = (try args.tensor("x"), try args.tensor("y"))
            func dimensions(_ t: Tensor) -> String { "[\(t.shape.map(String.init).joined(separator: ","))]" }
            if x.shape.count > 2 || y.shape.count > 2 {
                guard y.shape.count >= 2, let k = x.shape.last else { throw call.error("IndexError: pop index out of range") }
                var order = Array(y.shape.indices)
                order.insert(order.remove(at: y.shape.count - 2), at: 0)
                let rows = try x.reshaped([-1, k]), columns = try y.transposed(order).reshaped([y.shape[y.shape.count - 2], -1])
                return .tensor(try Common.matmul(rows, columns).reshaped(x.shape.dropLast() + y.shape.dropLast(2) + [y.shape.last!]))
            }
            guard x.shape.count == y.shape.count else {
                throw call.error("InvalidArgumentError: In[0] and In[1] has different ndims: \(dimensions(x)) vs. \(dimensions(y)) [Op:MatMul]")
            }
            guard x.shape.count == 2 else { throw call.error("InvalidArgumentError: In[0] and In[1] ndims must be == 2: \(x.shape.count) [Op:MatMul]") }
            return .tensor(try Common.matmul(x, y))
        },
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
