/// PyTorch's convolutions, `F.conv1d`/`conv2d`/`conv3d` (also `torch.conv2d`): what morphology, edge and
/// SSIM losses use to filter the prediction with a fixed kernel. Built from the engine's own ops, so the
/// gradient needs nothing new: the padded input's windows gathered by `take` (im2col), multiplied by the
/// kernel with `matmul`, one group at a time.
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
            let outputs = (0..<dims).map { (extents[$0] - spans[$0]) / stride[$0] + 1 }
            guard zip(extents, spans).allSatisfy({ $0 >= $1 }) else {
                throw call.error("RuntimeError: \(call.name): kernel size can't be greater than actual input size")
            }
            let batch = x.shape[0], perGroup = channels / groups, outPerGroup = weight.shape[0] / groups
            let windowSize = perGroup * kernel.reduce(1, *)
            let positions = outputs.reduce(1, *)
            // The windows' index table is as large as the gathered columns: checked against the tensor size limit
            // before it is built (the engine charges the columns themselves to the memory budget).
            let columns = elementCount([batch, positions, windowSize])
            if columns > Tensor.elementLimit { throw EngineError.tooLarge(elements: columns, limit: Tensor.elementLimit) }
            let strides = contiguousStrides(padded.shape)
            var results: [Tensor] = []
            // Offsets into the padded input: of each (input channel, kernel element) from a window's corner, and of
            // each output position's corner from its image's; a row of the table is their sums.
            let kernelCount = kernel.reduce(1, *)
            let windowOffsets = (0..<perGroup).flatMap { c in
                (0..<kernelCount).map { k in
                    let offset = unflatten(k, kernel)
                    return c * strides[1] + (0..<dims).reduce(0) { $0 + offset[$1] * dilation[$1] * strides[$1 + 2] }
                }
            }
            let cornerOffsets = (0..<positions).map { p in
                let corner = unflatten(p, outputs)
                return (0..<dims).reduce(0) { $0 + corner[$1] * stride[$1] * strides[$1 + 2] }
            }
            for g in 0..<groups {
                // Row (n, output position), column (input channel of the group, kernel element): im2col.
                var indices: [Int] = []
                indices.reserveCapacity(batch * positions * windowSize)
                for n in 0..<batch {
                    let image = n * strides[0] + g * perGroup * strides[1]
                    for corner in cornerOffsets {
                        for offset in windowOffsets { indices.append(image + corner + offset) }
                    }
                }
                let columns = try padded.take(indices, shape: [batch * positions, windowSize])
                let filters = try weight.slice(starts: [g * outPerGroup] + Array(repeating: 0, count: dims + 1),
                                               steps: Array(repeating: 1, count: dims + 2),
                                               counts: [outPerGroup] + Array(weight.shape[1...]))
                let product = try Common.matmul(columns, try filters.reshaped([outPerGroup, windowSize]).transposed())
                // (n, positions, out) to (n, out, positions...).
                let moved = try product.reshaped([batch, positions, outPerGroup]).transposed([0, 2, 1])
                results.append(try moved.reshaped([batch, outPerGroup] + outputs))
            }
            var y = results.count == 1 ? results[0] : try Tensor.concat(results, axis: 1)
            if !args.isNone("bias") {
                let bias = try args.tensor("bias")
                y = try y + bias.reshaped([weight.shape[0]] + Array(repeating: 1, count: dims))
            }
            return .tensor(unbatched ? try y.reshaped(Array(y.shape.dropFirst())) : y)
        }
    }

    /// The row-major multi-index of a flat position within `shape`.
    private static func unflatten(_ flat: Int, _ shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for d in shape.indices.reversed() {
            index[d] = rest % shape[d]
            rest /= shape[d]
        }
        return index
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
