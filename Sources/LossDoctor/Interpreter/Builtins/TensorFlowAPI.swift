/// TensorFlow 2 (`tf.*`, `tf.math.*`, `tf.nn.*`) and Keras 3 losses (`keras.losses.*`, also reached as
/// `tf.keras.losses.*`), as they define them: reductions default to all axes without keepdims,
/// `tf.argmax` defaults to axis 0, Keras loss functions average over the last axis and loss classes
/// reduce to the mean (`sum_over_batch_size`).
enum TensorFlowAPI {
    static let functions: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [
            "tf.nn.sigmoid_cross_entropy_with_logits": { call in
                let args = try call.bind("labels=None, logits=None, name=None")
                let (labels, logits) = (try args.tensor("labels"), try args.tensor("logits"))
                guard labels.shape == logits.shape else {
                    throw call.error("ValueError: `logits` and `labels` must have the same shape, received (\(Tensor.describe(logits.shape)) vs \(Tensor.describe(labels.shape))).")
                }
                return .tensor(try Common.binaryCrossEntropyWithLogits(labels, logits, tensorFlow: true, call: call))
            },
            "tf.nn.weighted_cross_entropy_with_logits": { call in
                // TensorFlow 1 named the labels `targets`; TensorFlow 2 raises a TypeError for it.
                let args = try call.bind("labels=None, logits=None, pos_weight=None, name=None, targets=None")
                var labelName = "labels"
                if !args.isNone("targets") {
                    call.notice(.removedAPI(.keyword(function: "tf.nn.weighted_cross_entropy_with_logits", old: "targets", new: "labels",
                                                     raised: "TypeError: weighted_cross_entropy_with_logits_v2() got an unexpected keyword argument 'targets'")))
                    labelName = "targets"
                }
                guard !args.isNone(labelName), !args.isNone("logits"), !args.isNone("pos_weight") else {
                    throw call.error("TypeError: weighted_cross_entropy_with_logits() needs labels, logits and pos_weight")
                }
                return .tensor(try Common.binaryCrossEntropyWithLogits(args.tensor(labelName), args.tensor("logits"),
                                                                       posWeight: args.tensor("pos_weight"), call: call))
            },
            "tf.nn.softmax_cross_entropy_with_logits": { call in
                let args = try call.bind("labels, logits, axis=-1, name=None")
                let logits = try args.tensor("logits")
                call.interpreter.noteLogitsInput(logits, at: call.site)
                let axis = try args.int("axis")
                return .tensor(try -(args.tensor("labels") * logits.logSoftmax(axis: axis)).sum(axes: [axis]))
            },
            "tf.nn.sparse_softmax_cross_entropy_with_logits": { call in
                let args = try call.bind("labels, logits, name=None")
                let logits = try args.tensor("logits")
                call.interpreter.noteLogitsInput(logits, at: call.site)
                let labels = try args.tensor("labels")
                guard !labels.dtype.isFloatingPoint else {
                    throw call.error("TypeError: sparse_softmax_cross_entropy_with_logits() needs integer labels, got \(labels.dtype.rawValue)")
                }
                let depth = logits.shape.last ?? 1
                return .tensor(try -(labels.oneHot(depth: depth) * logits.logSoftmax(axis: -1)).sum(axes: [-1]))
            },
            "tf.where": Common.select("condition, x=None, y=None, name=None"),
            "tf.cast": Common.castFunction("x, dtype, name=None"),
            "tf.clip_by_value": Common.clip("t, clip_value_min, clip_value_max, name=None"),
            "tf.reshape": Common.reshape("tensor, shape, name=None"),
            "tf.one_hot": { call in
                let args = try call.bind("indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None")
                let on = args.isNone("on_value") ? 1 : try args.float("on_value")
                let off = args.isNone("off_value") ? 0 : try args.float("off_value")
                let encoded = try Common.oneHot(args.tensor("indices"), depth: args.int("depth"),
                                                axis: args.isNone("axis") ? -1 : args.int("axis"), on: on, off: off)
                guard let type = try args.dtype("dtype"), type != .float32 else { return .tensor(encoded) }
                return .tensor(try encoded.cast(type))
            },
            "tf.argmax": Common.argmax("input, axis=None, output_type=None, name=None", noneAxis: 0),
            "tf.stop_gradient": Common.unary("input, name=None") { try $0.stopGradient() },
            "tf.identity": Common.unary("input, name=None") { $0 },
            // Removed in TensorFlow 2 (BuiltinRegistry.removed reports LD601), evaluated with their old meaning.
            "tf.to_float": Common.castTo(.float32, "x, name=None"),
            "tf.to_int32": Common.castTo(.int32, "x, name=None"),
            "tf.ones_like": Common.filledLike(1, "input, dtype=None, name=None"),
            "tf.zeros_like": Common.filledLike(0, "input, dtype=None, name=None"),
            "tf.ones": Common.filled(1, "shape, dtype=None, name=None"),
            "tf.zeros": Common.filled(0, "shape, dtype=None, name=None"),
            "tf.constant": { call in
                // `shape=`: a scalar fills it, other values are reshaped to it (TensorFlow's rules).
                let args = try call.bind("value, dtype=None, shape=None, name=None")
                guard case .tensor(let x) = try Common.constant("value, dtype=None, shape=None, name=None")(call) else { return .none }
                if args.isNone("shape") { return .tensor(x) }
                let shape = try Common.shape([args["shape"]], call: call)
                return .tensor(x.count == 1 ? try x.reshaped([]) + Tensor.filled(0, shape: shape, dtype: x.dtype) : try x.reshaped(shape))
            },
            "tf.convert_to_tensor": Common.constant("value, dtype=None, dtype_hint=None, name=None"),
            "tf.shape": { call in Common.shapeTuple(try call.bind("input, out_type=None, name=None").tensor("input")) },
            "tf.size": { call in .int(try call.bind("input, out_type=None, name=None").tensor("input").count) },
            "tf.rank": { call in .int(try call.bind("input, name=None").tensor("input").shape.count) },
            "tf.expand_dims": Common.expandDims("input, axis, name=None"),
            "tf.squeeze": Common.squeeze("input, axis=None, name=None"),
            "tf.transpose": Common.transpose("a, perm=None, conjugate=False, name=None"),
            "tf.concat": Common.concat("values, axis, name=None"),
            "tf.stack": Common.stack("values, axis=0, name=None"),
            "tf.unstack": Common.unstack("value, num=None, axis=0, name=None", axis: "axis", asList: true),
            "tf.matmul": Common.binary("a, b, transpose_a=False, transpose_b=False") { try Common.matmul($0, $1) },
            "tf.nn.softmax": Common.softmax("logits, axis=None, name=None", log: false),
            "tf.nn.log_softmax": Common.softmax("logits, axis=None, name=None", log: true),
            "tf.nn.relu": Common.unary("features, name=None") { try Tensor.maximum($0, 0) },
            "tf.math.add_n": { call in
                let tensors = try Common.tensorList(call.bind("inputs, name=None")["inputs"], call: call)
                guard var total = tensors.first else { throw call.error("ValueError: inputs must be a non-empty list of tensors") }
                for t in tensors.dropFirst() { total = try total + t }
                return .tensor(total)
            },
        ]
        // `tf.math.*` functions, most also at the top level of `tf` (and some in `tf.nn`).
        let math: [String: BuiltinFunction] = [
            "reduce_sum": Common.reduction(.sum, "input_tensor, axis=None, keepdims=False, name=None"),
            "reduce_mean": Common.reduction(.mean, "input_tensor, axis=None, keepdims=False, name=None"),
            "reduce_max": Common.reduction(.max, "input_tensor, axis=None, keepdims=False, name=None"),
            "reduce_min": Common.reduction(.min, "input_tensor, axis=None, keepdims=False, name=None"),
            "reduce_any": { call in
                let args = try call.bind("input_tensor, axis=None, keepdims=False, name=None")
                return .tensor(try args.tensor("input_tensor").cast(.bool).cast(.float32)
                    .reduce(.max, axes: args.axes("axis"), keepDims: args.bool("keepdims")).cast(.bool))
            },
            "reduce_all": { call in
                let args = try call.bind("input_tensor, axis=None, keepdims=False, name=None")
                return .tensor(try args.tensor("input_tensor").cast(.bool).cast(.float32)
                    .reduce(.min, axes: args.axes("axis"), keepDims: args.bool("keepdims")).cast(.bool))
            },
            "reduce_logsumexp": { call in
                let args = try call.bind("input_tensor, axis=None, keepdims=False, name=None")
                return .tensor(try Common.logSumExp(args.tensor("input_tensor"), axes: args.axes("axis"), keepDims: args.bool("keepdims")))
            },
            "softplus": Common.unary("features, name=None") { try $0.softplus() },
            // x / y, and 0 where y == 0 (the gradient flows only where y != 0).
            "divide_no_nan": Common.binary("x, y") { x, y in
                let zero = try y.compare(.equal, Tensor(0))
                return try Tensor.select(zero, Tensor(0), x / Tensor.select(zero, Tensor(1), y))
            },
            "argmax": Common.argmax("input, axis=None, output_type=None, name=None", noneAxis: 0),
            "add_n": table["tf.math.add_n"]!,
        ]
        let topLevel: Set<String> = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_any", "reduce_all",
                                     "reduce_logsumexp", "exp", "sqrt", "square", "abs", "negative", "sigmoid", "tanh",
                                     "round", "floor", "sign", "pow", "divide", "truediv", "multiply", "add", "subtract",
                                     "maximum", "minimum", "greater", "greater_equal", "less", "less_equal", "equal",
                                     "not_equal", "add_n"]
        let nn: Set<String> = ["sigmoid", "softplus", "tanh", "log_sigmoid"]
        let elementwise = Common.elementwise("", [
            "log", "exp", "sqrt", "square", "abs", "negative", "sigmoid", "log_sigmoid", "tanh", "cosh", "sinh", "round", "floor",
            "ceil", "sign", "log1p", "reciprocal", "pow=power", "floordiv=floor_divide", "floormod=mod", "mod", "divide", "truediv=divide",
            "multiply", "add", "subtract", "maximum", "minimum", "greater", "greater_equal", "less", "less_equal", "equal",
            "not_equal", "logical_and", "logical_or", "logical_not",
        ], unary: "x, name=None", binary: "x, y, name=None")
        for (name, function) in math.merging(elementwise, uniquingKeysWith: { first, _ in first }) {
            table["tf.math." + name] = function
            if topLevel.contains(name) { table["tf." + name] = function }
            if nn.contains(name) { table["tf.nn." + name] = function }
        }
        table.merge(KerasLosses.functions) { first, _ in first }
        return table
    }()
}

/// Keras 3 losses (`keras.losses.*`): functions return one value per sample (the mean over `axis`,
/// -1 by default; Dice and Tversky pool all axes by default); classes capture their constructor
/// arguments and reduce to the mean (`reduction="sum_over_batch_size"`). [keras/src/losses/losses.py]
enum KerasLosses {
    static let functions: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [:]
        func add(_ function: String, _ aliases: [String], _ cls: String?, options: String, _ body: @escaping @Sendable (Call, Arguments) throws -> Tensor) {
            let signature = "y_true, y_pred" + (options.isEmpty ? "" : ", " + options)
            let entry: BuiltinFunction = { call in .tensor(try body(call, call.bind(signature))) }
            for name in [function] + aliases { table["keras.losses." + name] = entry }
            guard let cls else { return }
            let constructor = options.isEmpty ? "reduction='sum_over_batch_size', name=None, dtype=None"
                : options + ", reduction='sum_over_batch_size', name=None, dtype=None"
            table["keras.losses." + cls] = Common.lossClass(constructor) { call in
                let args = try call.bind("y_true, y_pred, sample_weight=None, *, " + constructor)
                var values = try body(call, args)
                if let weight = try args.optionalTensor("sample_weight") { values = try values * weight }
                switch try args.string("reduction") {
                case nil, "none": return .tensor(values)
                case "sum": return .tensor(try values.sum())
                case "sum_over_batch_size", "mean", "mean_with_sample_weight": return .tensor(try values.mean())
                case let other?: throw call.error("ValueError: Invalid value for argument `reduction`. Received: reduction=\(other)")
                }
            }
        }
        add("binary_crossentropy", [], "BinaryCrossentropy", options: "from_logits=False, label_smoothing=0.0, axis=-1") { call, args in
            let y = try smoothed(args.tensor("y_true"), args)
            return try Common.kerasBinaryCrossEntropy(y, args.tensor("y_pred"), fromLogits: args.bool("from_logits"), call: call)
                .kerasMean(axis: args.int("axis"))
        }
        add("binary_focal_crossentropy", [], "BinaryFocalCrossentropy",
            options: "apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1") { call, args in
            let y = try smoothed(args.tensor("y_true"), args)
            var p = try args.tensor("y_pred")
            if try args.bool("from_logits") {
                call.interpreter.noteLogitsInput(p, at: call.site)
                p = try p.sigmoid()
            }
            let bce = try Common.kerasBinaryCrossEntropy(y, p, fromLogits: false, call: call)
            let pT = try y * p + (1 - y) * (1 - p)
            var focal = try (1 - pT).pow(Tensor(args.float("gamma"))) * bce
            if try args.bool("apply_class_balancing") {
                let alpha = try args.float("alpha")
                focal = try (y * Tensor(alpha) + (1 - y) * Tensor(1 - alpha)) * focal
            }
            return try focal.kerasMean(axis: args.int("axis"))
        }
        add("categorical_crossentropy", [], "CategoricalCrossentropy", options: "from_logits=False, label_smoothing=0.0, axis=-1") { call, args in
            try Common.kerasCategoricalCrossEntropy(smoothed(args.tensor("y_true"), args, classes: true), args.tensor("y_pred"),
                                                    fromLogits: args.bool("from_logits"), axis: args.int("axis"), call: call)
        }
        add("sparse_categorical_crossentropy", [], "SparseCategoricalCrossentropy", options: "from_logits=False, ignore_class=None, axis=-1") { call, args in
            let output = try args.tensor("y_pred")
            var labels = try args.tensor("y_true")
            if labels.shape.count == output.shape.count, labels.shape.last == 1 { labels = try labels.reshaped(Array(labels.shape.dropLast())) }
            let target = try labels.cast(.int64).oneHot(depth: output.shape.last ?? 1)
            return try Common.kerasCategoricalCrossEntropy(target, output, fromLogits: args.bool("from_logits"), axis: -1, call: call)
        }
        add("mean_squared_error", ["mse", "MSE"], "MeanSquaredError", options: "") { _, args in
            try (args.tensor("y_true") - args.tensor("y_pred")).squared().kerasMean(axis: -1)
        }
        add("mean_absolute_error", ["mae", "MAE"], "MeanAbsoluteError", options: "") { _, args in
            try (args.tensor("y_true") - args.tensor("y_pred")).abs().kerasMean(axis: -1)
        }
        // 1 - 2I / (Σy + Σp + eps): epsilon only in the denominator.
        add("dice", [], "Dice", options: "axis=None") { _, args in
            let (y, p, axes) = (try args.tensor("y_true"), try args.tensor("y_pred"), try args.axes("axis"))
            let intersection = try (y * p).sum(axes: axes)
            return try 1 - 2 * intersection / (y.sum(axes: axes) + p.sum(axes: axes) + Tensor(LossMath.kerasEpsilon))
        }
        // As Keras writes it: its `fp` is Σ(1 - p)·y and its `fn` is Σp·(1 - y).
        add("tversky", [], "Tversky", options: "alpha=0.5, beta=0.5, axis=None") { _, args in
            let (y, p, axes) = (try args.tensor("y_true"), try args.tensor("y_pred"), try args.axes("axis"))
            let intersection = try (y * p).sum(axes: axes)
            let fp = try ((1 - p) * y).sum(axes: axes), fn = try (p * (1 - y)).sum(axes: axes)
            return try 1 - intersection / (intersection + fp * Tensor(args.float("alpha")) + fn * Tensor(args.float("beta")) + Tensor(LossMath.kerasEpsilon))
        }
        return table
    }()

    /// Label smoothing: toward 0.5 for binary targets, toward 1/C for categorical ones.
    static func smoothed(_ y: Tensor, _ args: Arguments, classes: Bool = false) throws -> Tensor {
        let ls = try args.float("label_smoothing")
        guard ls != 0 else { return y }
        return try y * Tensor(1 - ls) + Tensor(classes ? ls / Float(y.shape.last ?? 1) : 0.5 * ls)
    }
}

extension Tensor {
    /// Keras' per-sample mean over one axis (`axis=-1`). Over an axis of extent 1 (the channel of a binary
    /// mask) it only drops the axis: written as a reshape, so that LD307 degenerate-reduction, which is about
    /// reductions the user wrote, does not fire on Keras' own.
    fileprivate func kerasMean(axis: Int) throws -> Tensor {
        guard let a = normalizedAxes([axis], rank: shape.count)?.first, shape[a] == 1 else { return try mean(axes: [axis]) }
        var kept = shape
        kept.remove(at: a)
        return try reshaped(kept)
    }
}
