/// The geometry of a convolution (PyTorch's cross-correlation) of an input that is already padded: an
/// input of shape (N, C, spatial...) and a weight of shape (O, C / groups, kernel...). The op reads each
/// output element's window in place, so a convolution keeps only its output: gathering the windows first
/// (im2col) kept nine times the input per 3x3 convolution, and a morphology loss eroding ten times per
/// class filled the memory budget, whose dropped values were then recomputed over and over.
struct ConvolutionWindows: Sendable, Hashable {
    /// The padded input's shape, (N, C, spatial...).
    let input: [Int]
    /// The weight's shape, (O, C / groups, kernel...).
    let weight: [Int]
    let stride: [Int]
    let dilation: [Int]
    let groups: Int

    var dims: Int { input.count - 2 }
    /// Output extents along the spatial axes.
    var outputs: [Int] {
        (0..<dims).map { d in (input[d + 2] - (dilation[d] * (weight[d + 2] - 1) + 1)) / stride[d] + 1 }
    }
    var outputShape: [Int] { [input[0], weight[0]] + outputs }
    /// Input channels per group times kernel elements: the products summed into one output element.
    var windowSize: Int { weight.dropFirst().reduce(1, *) }

    /// Whether the windows fit the input: kernel no larger than the padded input, channels divisible by groups.
    var isValid: Bool {
        input.count >= 3 && weight.count == input.count && stride.count == dims && dilation.count == dims && groups > 0
            && input[1] % groups == 0 && weight[0] % groups == 0 && weight[1] * groups == input[1]
            && stride.allSatisfy { $0 > 0 } && dilation.allSatisfy { $0 > 0 }
            && (0..<dims).allSatisfy { input[$0 + 2] >= dilation[$0] * (weight[$0 + 2] - 1) + 1 }
    }

    /// Offsets into the input: of each (input channel of a group, kernel element) from a window's corner, and
    /// of each output position's corner from its image's.
    private func offsets() -> (window: [Int], corners: [Int]) {
        let strides = contiguousStrides(input)
        let kernel = Array(weight[2...]), outputs = outputs
        let kernelCount = kernel.reduce(1, *)
        var window: [Int] = []
        window.reserveCapacity(weight[1] * kernelCount)
        var offset = [Int](repeating: 0, count: dims)
        for c in 0..<weight[1] {
            for _ in 0..<kernelCount {
                window.append(c * strides[1] + (0..<dims).reduce(0) { $0 + offset[$1] * dilation[$1] * strides[$1 + 2] })
                advance(&offset, within: kernel)
            }
        }
        var corners: [Int] = []
        corners.reserveCapacity(outputs.reduce(1, *))
        var corner = [Int](repeating: 0, count: dims)
        for _ in 0..<outputs.reduce(1, *) {
            corners.append((0..<dims).reduce(0) { $0 + corner[$1] * stride[$1] * strides[$1 + 2] })
            advance(&corner, within: outputs)
        }
        return (window, corners)
    }

    /// Calls `body(inputBase, weightBase, outputIndex)` for every output element in row-major order: its
    /// window starts at `inputBase` (plus each window offset), its filter at `weightBase`.
    private func forEachOutput(corners: [Int], _ body: (_ inputBase: Int, _ weightBase: Int, _ output: Int) -> Void) {
        let strides = contiguousStrides(input)
        let perGroup = weight[1], outPerGroup = weight[0] / groups, size = windowSize
        var output = 0
        for n in 0..<input[0] {
            for g in 0..<groups {
                let image = n * strides[0] + g * perGroup * strides[1]
                for o in 0..<outPerGroup {
                    let filter = (g * outPerGroup + o) * size
                    for corner in corners {
                        body(image + corner, filter, output)
                        output += 1
                    }
                }
            }
        }
    }

    /// The output values, each summed in window order (as im2col and a matrix product sum them).
    func forward(_ x: [Float], _ w: [Float]) -> [Float] {
        let (window, corners) = offsets()
        var out = [Float](repeating: 0, count: elementCount(outputShape))
        x.withUnsafeBufferPointer { x in
            w.withUnsafeBufferPointer { w in
                window.withUnsafeBufferPointer { window in
                    out.withUnsafeMutableBufferPointer { out in
                        forEachOutput(corners: corners) { base, filter, o in
                            var total: Float = 0
                            for j in window.indices { total += x[base + window[j]] * w[filter + j] }
                            out[o] = total
                        }
                    }
                }
            }
        }
        return out
    }

    /// The gradients of the input and of the weight (each only when needed) for the output's gradient `g`.
    func backward(_ x: [Float], _ w: [Float], gradient g: [Float], needed: [Bool]) -> [[Float]?] {
        let (window, corners) = offsets()
        func accumulate(into count: Int, _ add: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Int>, _ base: Int, _ filter: Int, _ gy: Float) -> Void) -> [Float] {
            var out = [Float](repeating: 0, count: count)
            out.withUnsafeMutableBufferPointer { out in
                window.withUnsafeBufferPointer { window in
                    g.withUnsafeBufferPointer { g in
                        forEachOutput(corners: corners) { base, filter, o in add(out, window, base, filter, g[o]) }
                    }
                }
            }
            return out
        }
        let input = needed[0] ? w.withUnsafeBufferPointer { w in
            accumulate(into: x.count) { gx, window, base, filter, gy in
                for j in window.indices { gx[base + window[j]] += gy * w[filter + j] }
            }
        } : nil
        let filters = needed[1] ? x.withUnsafeBufferPointer { x in
            accumulate(into: w.count) { gw, window, base, filter, gy in
                for j in window.indices { gw[filter + j] += gy * x[base + window[j]] }
            }
        } : nil
        return [input, filters]
    }
}

extension Tensor {
    /// This padded input convolved with `weight` over `windows`.
    func convolved(with weight: Tensor, _ windows: ConvolutionWindows) throws(EngineError) -> Tensor {
        try Tensor.apply(.convolution(windows), [self, weight])
    }
}
