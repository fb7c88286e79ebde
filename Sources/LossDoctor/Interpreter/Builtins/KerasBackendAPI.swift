/// `keras.backend` (imported as `K`), as TensorFlow's Keras defines it: reductions default to all axes
/// without keepdims, `epsilon()` is 1e-7, cross-entropies clip probabilities to [eps, 1 - eps].
enum KerasBackendAPI {
    static let functions: [String: BuiltinFunction] = [
        "K.sum": Common.reduction(.sum, "x, axis=None, keepdims=False"),
        "K.mean": Common.reduction(.mean, "x, axis=None, keepdims=False"),
        "K.max": Common.reduction(.max, "x, axis=None, keepdims=False"),
        "K.min": Common.reduction(.min, "x, axis=None, keepdims=False"),
        "K.flatten": Common.unary("x") { try $0.flattened() },
        "K.batch_flatten": Common.unary("x") { x in try x.reshaped([x.shape.first ?? 1, -1]) },
        "K.epsilon": { call in _ = try call.bind(""); return .float(Double(LossMath.kerasEpsilon)) },
        "K.floatx": { call in _ = try call.bind(""); return .string("float32") },
        "K.clip": { call in
            let args = try call.bind("x, min_value, max_value")
            return .tensor(try args.tensor("x").clipped(args.float("min_value"), args.float("max_value")))
        },
        "K.log": Common.unary { try $0.log() },
        "K.exp": Common.unary { try $0.exp() },
        "K.sqrt": Common.unary { try $0.sqrt() },
        "K.abs": Common.unary { try $0.abs() },
        "K.square": Common.unary { try $0.squared() },
        "K.round": Common.unary { try $0.rounded() },
        "K.sign": Common.unary { try $0.sign() },
        "K.sigmoid": Common.unary { try $0.sigmoid() },
        "K.tanh": Common.unary { try $0.tanh() },
        "K.softplus": Common.unary { try $0.softplus() },
        "K.relu": Common.unary { x in try Tensor.maximum(x, 0) },
        "K.stop_gradient": Common.unary("variables") { try $0.stopGradient() },
        "K.pow": Common.binary("x, a") { try $0.pow($1) },
        "K.maximum": Common.binary("x, y") { try Tensor.maximum($0, $1) },
        "K.minimum": Common.binary("x, y") { try Tensor.minimum($0, $1) },
        "K.greater": Common.binary("x, y") { try $0.compare(.greater, $1) },
        "K.greater_equal": Common.binary("x, y") { try $0.compare(.greaterEqual, $1) },
        "K.less": Common.binary("x, y") { try $0.compare(.less, $1) },
        "K.less_equal": Common.binary("x, y") { try $0.compare(.lessEqual, $1) },
        "K.equal": Common.binary("x, y") { try $0.compare(.equal, $1) },
        "K.not_equal": Common.binary("x, y") { try $0.compare(.notEqual, $1) },
        "K.softmax": { call in
            let args = try call.bind("x, axis=-1")
            return .tensor(try args.tensor("x").softmax(axis: args.int("axis")))
        },
        "K.cast": { call in
            let args = try call.bind("x, dtype")
            guard let type = try args.dtype("dtype") else { throw call.error("cast() needs a dtype") }
            return .tensor(try Common.cast(args.tensor("x"), to: type, call: call))
        },
        "K.switch": { call in
            let args = try call.bind("condition, then_expression, else_expression")
            return .tensor(try Tensor.select(args.tensor("condition"), args.tensor("then_expression"), args.tensor("else_expression")))
        },
        "K.ones_like": { call in
            let x = try call.bind("x, dtype=None, name=None").tensor("x")
            return .tensor(Tensor(repeating: 1, shape: x.shape))
        },
        "K.zeros_like": { call in
            let x = try call.bind("x, dtype=None, name=None").tensor("x")
            return .tensor(Tensor(repeating: 0, shape: x.shape))
        },
        "K.binary_crossentropy": { call in
            let args = try call.bind("target, output, from_logits=False")
            let (target, output) = (try args.tensor("target"), try args.tensor("output"))
            if try args.bool("from_logits") {
                call.interpreter.noteLogitsInput(output)
                return .tensor(try LossMath.binaryCrossEntropyWithLogits(target, output))
            }
            return .tensor(try LossMath.kerasBinaryCrossEntropy(target, output))
        },
        "K.categorical_crossentropy": { call in
            let args = try call.bind("target, output, from_logits=False, axis=-1")
            let (target, output, axis) = (try args.tensor("target"), try args.tensor("output"), try args.int("axis"))
            if try args.bool("from_logits") {
                call.interpreter.noteLogitsInput(output)
                return .tensor(try -(target * output.logSoftmax(axis: axis)).sum(axes: [axis]))
            }
            let normalized = try output / output.sum(axes: [axis], keepDims: true)
            let clipped = try normalized.clipped(LossMath.kerasEpsilon, 1 - LossMath.kerasEpsilon)
            return .tensor(try -(target * clipped.log()).sum(axes: [axis]))
        },
        "K.int_shape": { call in .tuple(try call.bind("x").tensor("x").shape.map { .int($0) }) },
        "K.shape": { call in .tuple(try call.bind("x").tensor("x").shape.map { .int($0) }) },
        "K.ndim": { call in .int(try call.bind("x").tensor("x").shape.count) },
        "K.dot": Common.binary("x, y") { try Common.matmul($0, $1) },
        "K.argmax": { call in
            let args = try call.bind("x, axis=-1")
            return .tensor(try args.tensor("x").argmax(axis: args.int("axis")))
        },
        "K.one_hot": { call in
            let args = try call.bind("indices, num_classes")
            return .tensor(try args.tensor("indices").oneHot(depth: args.int("num_classes")))
        },
        "K.reshape": { call in
            let args = try call.bind("x, shape")
            return .tensor(try args.tensor("x").reshaped(args.axes("shape") ?? []))
        },
        "K.expand_dims": { call in
            let args = try call.bind("x, axis=-1")
            return .tensor(try Common.expandDims(args.tensor("x"), axis: args.int("axis")))
        },
        "K.squeeze": { call in
            let args = try call.bind("x, axis")
            return .tensor(try Common.squeeze(args.tensor("x"), axes: args.axes("axis")))
        },
        "K.permute_dimensions": { call in
            let args = try call.bind("x, pattern")
            return .tensor(try args.tensor("x").transposed(args.axes("pattern")))
        },
        "K.transpose": Common.unary { try $0.transposed() },
        "K.concatenate": { call in
            let args = try call.bind("tensors, axis=-1")
            let tensors = try call.interpreter.iterate(args["tensors"], at: call.site).map { try call.interpreter.tensor($0, site: call.site) }
            return .tensor(try Tensor.concat(tensors, axis: args.int("axis")))
        },
        "K.stack": { call in
            let args = try call.bind("x, axis=0")
            let tensors = try call.interpreter.iterate(args["x"], at: call.site).map { try call.interpreter.tensor($0, site: call.site) }
            return .tensor(try Tensor.stack(tensors, axis: args.int("axis")))
        },
        "K.constant": { call in
            let args = try call.bind("value, dtype=None, shape=None, name=None")
            return .tensor(try call.interpreter.tensor(args["value"], site: call.site).cast(args.dtype("dtype") ?? .float32))
        },
    ]
}
