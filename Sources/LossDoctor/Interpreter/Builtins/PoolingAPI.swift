/// Pooling as each framework defines its windows: PyTorch's `F.max_pool2d`/`avg_pool3d` (`padding`,
/// `ceil_mode`, `count_include_pad`), adaptive pools and the `nn.MaxPool2d` modules; TensorFlow's
/// `tf.nn.max_pool2d` (`'SAME'`/`'VALID'`, averages over the covered elements only); Keras's
/// `ops.max_pool`, `K.pool2d` and pooling layers called as functions. Soft skeletons (clDice) and
/// boundary losses pool the prediction; the op routes a max's gradient to one element per window.
enum PoolingAPI {
    /// An int or a sequence of `count` ints (`kernel_size=3`, `(3, 1)`).
    static func perAxis(_ value: Value, count: Int, name: String, call: Call) throws -> [Int] {
        if let single = try call.interpreter.integer(value) { return Array(repeating: single, count: count) }
        guard let items = value.sequence else { throw call.error("TypeError: \(call.name)(): \(name) must be an int or a tuple of ints, not \(value.typeName)") }
        let ints = try items.map { item -> Int in
            guard let i = try call.interpreter.integer(item) else { throw call.error("TypeError: \(call.name)(): \(name) must hold ints") }
            return i
        }
        if ints.count == 1 { return Array(repeating: ints[0], count: count) }
        guard ints.count == count else { throw call.error("RuntimeError: \(call.name)(): \(name) must be a single int or a tuple of \(count) ints") }
        guard ints.allSatisfy({ $0 > 0 }) || name == "padding" else { throw call.error("RuntimeError: \(call.name)(): \(name) must be greater than zero") }
        return ints
    }

    static func unsupported(_ call: Call, _ what: String) -> InterpreterError {
        InterpreterError(.unsupportedCall, "`\(call.name)` with \(what) is not a call LossDoctor models", at: call.site,
                         hint: "pool with the default dilation, without indices or a divisor override")
    }

    /// `F.max_pool{1,2,3}d` and `F.avg_pool{1,2,3}d`.
    static func torchPool(_ kind: PoolWindows.Kind, dims: Int) -> BuiltinFunction {
        let signature = kind == .max
            ? "input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False"
            : "input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None"
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor("input")
            guard x.shape.count == dims + 1 || x.shape.count == dims + 2 else {
                throw call.error("RuntimeError: \(call.name): Expected \(dims + 1)D or \(dims + 2)D input, but got \(x.shape.count)D")
            }
            let kernel = try perAxis(args["kernel_size"], count: dims, name: "kernel_size", call: call)
            let strideGiven = !(args.isNone("stride") || args["stride"].sequence?.isEmpty == true)
            let stride = strideGiven ? try perAxis(args["stride"], count: dims, name: "stride", call: call) : kernel
            let padding = try perAxis(args["padding"], count: dims, name: "padding", call: call)
            if kind == .max {
                guard try perAxis(args["dilation"], count: dims, name: "dilation", call: call).allSatisfy({ $0 == 1 }) else { throw unsupported(call, "dilation") }
                guard !(try args.bool("return_indices")) else { throw unsupported(call, "return_indices=True") }
            } else if !args.isNone("divisor_override") {
                throw unsupported(call, "divisor_override")
            }
            let ceilMode = try args.bool("ceil_mode")
            let axes = Array((x.shape.count - dims)..<x.shape.count)
            var outputs: [Int] = []
            for k in 0..<dims {
                let n = x.shape[axes[k]]
                guard padding[k] >= 0, padding[k] * 2 <= kernel[k] else {
                    throw call.error("RuntimeError: pad should be at most half of effective kernel size, but got pad=\(padding[k]), kernel_size=\(kernel[k]) and dilation=1")
                }
                let span = n + 2 * padding[k] - kernel[k]
                guard span >= 0 else {
                    throw call.error("RuntimeError: Given input size: \(Tensor.describe(x.shape)). Calculated output size is too small")
                }
                var count = (ceilMode ? (span + stride[k] - 1) / stride[k] : span / stride[k]) + 1
                // The last window must start inside the input or its left padding.
                if ceilMode && (count - 1) * stride[k] >= n + padding[k] { count -= 1 }
                outputs.append(count)
            }
            let countPadding = kind == .average ? try args.bool("count_include_pad") : false
            let windows = PoolWindows.sliding(kind, axes: axes, inputExtents: axes.map { x.shape[$0] }, kernel: kernel, stride: stride,
                                              padding: padding, outputs: outputs, countPadding: countPadding)
            return .tensor(try x.pooled(windows))
        }
    }

    /// `F.adaptive_avg_pool{1,2,3}d` and `F.adaptive_max_pool{1,2,3}d`: `output_size` entries may be None (kept).
    static func torchAdaptive(_ kind: PoolWindows.Kind, dims: Int) -> BuiltinFunction {
        { call in
            let args = try call.bind("input, output_size, return_indices=False")
            guard !(try args.bool("return_indices")) else { throw unsupported(call, "return_indices=True") }
            let x = try args.tensor("input")
            guard x.shape.count == dims + 1 || x.shape.count == dims + 2 else {
                throw call.error("RuntimeError: \(call.name): Expected \(dims + 1)D or \(dims + 2)D input, but got \(x.shape.count)D")
            }
            let axes = Array((x.shape.count - dims)..<x.shape.count)
            let items = args["output_size"].sequence ?? Array(repeating: args["output_size"], count: dims)
            guard items.count == dims || items.count == 1 else { throw call.error("RuntimeError: \(call.name): output_size must have \(dims) elements") }
            let outputs = try axes.indices.map { k -> Int in
                let item = items.count == 1 ? items[0] : items[k]
                if case .none = item { return x.shape[axes[k]] }
                guard let size = try call.interpreter.integer(item), size > 0 else { throw call.error("RuntimeError: \(call.name): output_size must be positive ints") }
                return size
            }
            let windows = PoolWindows.adaptive(kind, axes: axes, inputExtents: axes.map { x.shape[$0] }, outputs: outputs)
            return .tensor(try x.pooled(windows))
        }
    }

    /// TensorFlow/Keras windows: `'SAME'` pads so that the output has ceil(n / stride) positions (the
    /// extra padding after), `'VALID'` keeps whole windows; averages divide by the covered elements.
    static func tfWindows(_ kind: PoolWindows.Kind, _ x: Tensor, dims: Int, channelsFirst: Bool, kernel: [Int], stride: [Int],
                          padding: String, call: Call) throws -> PoolWindows {
        guard x.shape.count == dims + 2 else {
            throw call.error("ValueError: \(call.name): input must have rank \(dims + 2), got shape \(Tensor.describe(x.shape))")
        }
        let axes = channelsFirst ? Array(2..<(2 + dims)) : Array(1..<(1 + dims))
        var before: [Int] = [], outputs: [Int] = []
        for k in 0..<dims {
            let n = x.shape[axes[k]]
            switch padding.uppercased() {
            case "SAME":
                let count = (n + stride[k] - 1) / stride[k]
                outputs.append(count)
                before.append(Swift.max((count - 1) * stride[k] + kernel[k] - n, 0) / 2)
            case "VALID":
                guard n >= kernel[k] else {
                    throw call.error("ValueError: \(call.name): the pool size \(kernel[k]) is larger than the input extent \(n) with padding 'VALID'")
                }
                outputs.append((n - kernel[k]) / stride[k] + 1)
                before.append(0)
            default:
                throw InterpreterError(.unsupportedCall, "`\(call.name)` with padding \(padding) is not a call LossDoctor models", at: call.site, hint: "use 'SAME' or 'VALID'")
            }
        }
        return PoolWindows.sliding(kind, axes: axes, inputExtents: axes.map { x.shape[$0] }, kernel: kernel, stride: stride,
                                   padding: before, outputs: outputs, countPadding: false)
    }

    /// `tf.nn.max_pool2d(input, ksize, strides, padding, data_format='NHWC')` and friends; `dims` nil:
    /// from the input's rank (`tf.nn.max_pool`).
    static func tfPool(_ kind: PoolWindows.Kind, dims fixed: Int?) -> BuiltinFunction {
        { call in
            let args = try call.bind("input|value, ksize, strides, padding, data_format=None, name=None")
            let x = try args.tensor("input")
            let dims = fixed ?? Swift.max(x.shape.count - 2, 1)
            let format = try args.string("data_format") ?? ""
            let channelsFirst = format.hasPrefix("NC")
            func spatial(_ name: String) throws -> [Int] {
                if let items = args[name].sequence, items.count == dims + 2 {
                    let all = try perAxis(args[name], count: dims + 2, name: name, call: call)
                    return channelsFirst ? Array(all[2...]) : Array(all[1...dims])
                }
                return try perAxis(args[name], count: dims, name: name, call: call)
            }
            guard case .string(let padding) = args["padding"] else {
                throw InterpreterError(.unsupportedCall, "`\(call.name)` with explicit paddings is not a call LossDoctor models", at: call.site, hint: "use 'SAME' or 'VALID'")
            }
            let windows = try tfWindows(kind, x, dims: dims, channelsFirst: channelsFirst, kernel: spatial("ksize"), stride: spatial("strides"),
                                        padding: padding, call: call)
            return .tensor(try x.pooled(windows))
        }
    }

    /// `keras.ops.max_pool(inputs, pool_size, strides=None, padding='valid', data_format=None)`, the pooling
    /// layers (`MaxPooling2D(...)(x)`) and `K.pool2d` (whose strides default to 1).
    static func kerasPool(_ kind: PoolWindows.Kind?, dims fixed: Int?, signature: String) -> BuiltinFunction {
        { call in
            let args = try call.bind(signature)
            let x = try args.tensor("inputs")
            let dims = fixed ?? Swift.max(x.shape.count - 2, 1)
            var poolKind = kind ?? .max
            if kind == nil, let mode = try args.string("pool_mode") {
                guard mode == "max" || mode == "avg" else { throw call.error("ValueError: Invalid pool_mode: \(mode)") }
                poolKind = mode == "max" ? .max : .average
            }
            let kernel = try perAxis(args["pool_size"], count: dims, name: "pool_size", call: call)
            let stride = args.isNone("strides") ? kernel : try perAxis(args["strides"], count: dims, name: "strides", call: call)
            let format = try args.string("data_format") ?? "channels_last"
            let windows = try tfWindows(poolKind, x, dims: dims, channelsFirst: format == "channels_first", kernel: kernel, stride: stride,
                                        padding: args.string("padding") ?? "valid", call: call)
            return .tensor(try x.pooled(windows))
        }
    }

    /// `F.interpolate` in the modes that copy elements: `nearest` (source floor(dst · in/out)) and
    /// `nearest-exact` (floor((dst + 0.5) · in/out)); deep-supervision losses resize targets this way.
    /// `scale_factor` gives floor(in · factor) positions read with the scale 1/factor, as PyTorch does.
    static let interpolate: BuiltinFunction = { call in
        let args = try call.bind("input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False")
        let x = try args.tensor("input")
        let mode = try args.string("mode") ?? "nearest"
        guard mode == "nearest" || mode == "nearest-exact" else {
            throw InterpreterError(.unsupportedCall, "`F.interpolate` with mode='\(mode)' is not a call LossDoctor models", at: call.site,
                                   hint: "the modes that copy elements are modelled: mode='nearest' or 'nearest-exact'")
        }
        let dims = x.shape.count - 2
        guard dims >= 1 else { throw call.error("ValueError: Input and output must have the same number of spatial dimensions, got \(x.shape.count - 2)") }
        var result = x
        for k in 0..<dims {
            let axis = 2 + k, n = x.shape[axis]
            let out: Int, scale: Double
            if !args.isNone("size") {
                out = try perAxis(args["size"], count: dims, name: "size", call: call)[k]
                scale = Double(n) / Double(out)
            } else if !args.isNone("scale_factor") {
                let factors = try args["scale_factor"].sequence.map { try $0.map { v -> Double in
                    guard let d = v.number else { throw call.error("TypeError: scale_factor must hold numbers") }
                    return d
                } } ?? [Double](repeating: Double(try args.float("scale_factor")), count: dims)
                guard factors.count == dims else { throw call.error("ValueError: scale_factor shape must match input shape") }
                out = Int((Double(n) * factors[k]).rounded(.down))
                scale = try args.bool("recompute_scale_factor") ? Double(n) / Double(out) : 1 / factors[k]
            } else {
                throw call.error("ValueError: either size or scale_factor should be defined")
            }
            guard out > 0 else { throw call.error("RuntimeError: Input and output sizes should be greater than 0") }
            let source = (0..<out).map { i -> Float in
                let position = mode == "nearest" ? Double(i) * scale : (Double(i) + 0.5) * scale
                return Float(Swift.min(Int(position.rounded(.down)), n - 1))
            }
            result = try result.gatherSlices(axis: axis, index: Tensor(shape: [out], scalars: source, dtype: .int64))
        }
        return .tensor(result)
    }

    static let functions: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = ["F.interpolate": interpolate, "F.upsample": interpolate]
        for dims in 1...3 {
            let (maxPool, avgPool) = (torchPool(.max, dims: dims), torchPool(.average, dims: dims))
            let (adaptiveMax, adaptiveAvg) = (torchAdaptive(.max, dims: dims), torchAdaptive(.average, dims: dims))
            table["F.max_pool\(dims)d"] = maxPool
            table["F.avg_pool\(dims)d"] = avgPool
            table["F.adaptive_max_pool\(dims)d"] = adaptiveMax
            table["F.adaptive_avg_pool\(dims)d"] = adaptiveAvg
            table["torch.max_pool\(dims)d"] = maxPool
            table["torch.nn.MaxPool\(dims)d"] = Common.module("kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False", maxPool)
            table["torch.nn.AvgPool\(dims)d"] = Common.module("kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None", avgPool)
            table["torch.nn.AdaptiveMaxPool\(dims)d"] = Common.module("output_size, return_indices=False", adaptiveMax)
            table["torch.nn.AdaptiveAvgPool\(dims)d"] = Common.module("output_size", torchAdaptive(.average, dims: dims))
            table["tf.nn.max_pool\(dims)d"] = tfPool(.max, dims: dims)
            table["tf.nn.avg_pool\(dims)d"] = tfPool(.average, dims: dims)
            let layer = "inputs, pool_size=2, strides=None, padding='valid', data_format=None, name=None"
            let (maxLayer, avgLayer) = (kerasPool(.max, dims: dims, signature: layer), kerasPool(.average, dims: dims, signature: layer))
            let constructor = "pool_size=2, strides=None, padding='valid', data_format=None, name=None"
            for name in ["MaxPooling\(dims)D", "MaxPool\(dims)D"] { table["keras.layers." + name] = Common.module(constructor, maxLayer) }
            for name in ["AveragePooling\(dims)D", "AvgPool\(dims)D"] { table["keras.layers." + name] = Common.module(constructor, avgLayer) }
        }
        table["torch.avg_pool1d"] = torchPool(.average, dims: 1)
        table["torch.adaptive_avg_pool1d"] = torchAdaptive(.average, dims: 1)
        table["tf.nn.max_pool"] = tfPool(.max, dims: nil)
        table["tf.nn.avg_pool"] = tfPool(.average, dims: nil)
        table["ops.max_pool"] = kerasPool(.max, dims: nil, signature: "inputs, pool_size, strides=None, padding='valid', data_format=None")
        table["ops.average_pool"] = kerasPool(.average, dims: nil, signature: "inputs, pool_size, strides=None, padding='valid', data_format=None")
        table["K.pool2d"] = kerasPool(nil, dims: 2, signature: "inputs|x, pool_size, strides=1, padding='valid', data_format=None, pool_mode='max'")
        table["K.pool3d"] = kerasPool(nil, dims: 3, signature: "inputs|x, pool_size, strides=1, padding='valid', data_format=None, pool_mode='max'")
        return table
    }()
}
