/// PyTorch's convolutions, `F.conv1d`/`conv2d`/`conv3d` (also `torch.conv2d`): what morphology, edge and
/// SSIM losses use to filter the prediction with a fixed kernel. The builtin works out PyTorch's padding and
/// checks the shapes; the engine's `convolution` op reads the windows of the padded input in place.
enum ConvolutionAPI {
    static func torchConvolution(dims: Int) -> BuiltinFunction {
        { call in
            let args = try call.bind("input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1")
            var x = try args.tensor("input")
            let weight = try args.tensor("weight")
            let unbatched = x.shape.count == dims + 1
            guard unbatched || x.shape.count == dims + 2 else {
                throw call.error("RuntimeError: Expected \(dims + 1)D (unbatched) or \(dims + 2)D (batched) input to \(call.name), but got input of size: \(Tensor.describe(x.shape))")
            }
            if unbatched { x = try x.reshaped([1] + x.shape) }
            let groups = try args.int("groups")
            let channels = x.shape[1]
            guard weight.shape.count == dims + 2, groups > 0, channels % groups == 0, weight.shape[0] % groups == 0,
                  weight.shape[1] * groups == channels else {
                throw call.error("RuntimeError: \(call.name): weight of size \(Tensor.describe(weight.shape)) and groups=\(groups) do not fit input of size \(Tensor.describe(x.shape))")
            }
            let kernel = Array(weight.shape[2...])
            let stride = try PoolingAPI.perAxis(args["stride"], count: dims, name: "stride", call: call)
            let dilation = try PoolingAPI.perAxis(args["dilation"], count: dims, name: "dilation", call: call)
            let spans = (0..<dims).map { dilation[$0] * (kernel[$0] - 1) + 1 }
            var before: [Int], after: [Int]
            switch args["padding"] {
            case .string("valid"):
                (before, after) = (Array(repeating: 0, count: dims), Array(repeating: 0, count: dims))
            case .string("same"):
                guard stride.allSatisfy({ $0 == 1 }) else { throw call.error("RuntimeError: padding='same' is not supported for strided convolutions") }
                // PyTorch pads the odd element after.
                before = spans.map { ($0 - 1) / 2 }
                after = spans.map { ($0 - 1) - ($0 - 1) / 2 }
            case let padding:
                before = try PoolingAPI.perAxis(padding, count: dims, name: "padding", call: call)
                after = before
            }
            let padded = try x.padded(before: [0, 0] + before, after: [0, 0] + after)
            let extents = Array(padded.shape[2...])
            guard zip(extents, spans).allSatisfy({ $0 >= $1 }) else {
                throw call.error("RuntimeError: \(call.name): kernel size can't be greater than actual input size")
            }
            let windows = ConvolutionWindows(input: padded.shape, weight: weight.shape, stride: stride, dilation: dilation, groups: groups)
            // Each group's multiply-adds are bounded as the im2col columns they replace were: by the tensor size limit.
            let work = elementCount([x.shape[0], elementCount(windows.outputs), windows.windowSize, weight.shape[0] / groups])
            if work > Tensor.elementLimit { throw EngineError.tooLarge(elements: work, limit: Tensor.elementLimit) }
            var y = try padded.convolved(with: weight, windows)
            if !args.isNone("bias") {
                let bias = try args.tensor("bias")
                y = try y + bias.reshaped([weight.shape[0]] + Array(repeating: 1, count: dims))
            }
            return .tensor(unbatched ? try y.reshaped(Array(y.shape.dropFirst())) : y)
        }
    }
}

extension ConvolutionAPI {
    static let functions: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [:]
        for dims in 1...3 {
            table["F.conv\(dims)d"] = torchConvolution(dims: dims)
            table["torch.conv\(dims)d"] = torchConvolution(dims: dims)
        }
        return table
    }()
}
