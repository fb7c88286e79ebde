/// Builders for the entries the framework tables share: one definition of "a unary op", "a reduction",
/// "a cast", reused by `K.*`, `tf.*`, `ops.*`, `torch.*`, `np.*` and tensor methods.
enum Common {
    /// An elementwise function of one tensor; `signature` names the tensor first (`"x"`, `"input"`).
    static func unary(_ signature: String = "x", _ op: @escaping @Sendable (Tensor) throws -> Tensor) -> BuiltinFunction {
        let name = firstName(signature)
        return { call in .tensor(try op(call.bind(signature).tensor(name))) }
    }

    /// An elementwise function of two tensors.
    static func binary(_ signature: String = "x, y", _ op: @escaping @Sendable (Tensor, Tensor) throws -> Tensor) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }
        return { call in
            let args = try call.bind(signature)
            return .tensor(try op(args.tensor(names[0]), args.tensor(names[1])))
        }
    }

    /// A reduction. `signature` lists the tensor, the axes and the keep-dims flag in that order, e.g.
    /// `"x, axis=None, keepdims=False"` (Keras, NumPy) or `"input, dim|axis=None, keepdim=False, *, dtype=None"` (PyTorch).
    static func reduction(_ reduction: Reduction, _ signature: String) -> BuiltinFunction {
        let names = signature.split(separator: ",").map { firstName(String($0)) }.filter { $0 != "*" }
        return { call in
            let args = try call.bind(signature)
            return .tensor(try args.tensor(names[0]).reduce(reduction, axes: args.axes(names[1]), keepDims: args.bool(names[2])))
        }
    }

    /// The first name of a signature entry: `"axis|dim=None"` -> `axis`.
    static func firstName(_ entry: String) -> String {
        String(entry.trimmingCharacters().split(separator: "=").first?.split(separator: "|").first ?? "")
            .trimmingCharacters()
    }

    /// A cast to `type`; casting to an integer type is reported as LD602 integer-cast.
    static func cast(_ x: Tensor, to type: DType, call: Call) throws -> Tensor {
        if !type.isFloatingPoint && type != .bool && (x.dependsOnVariable || x.dtype.isFloatingPoint) {
            call.diagnose("LD602", "a tensor is cast to \(type.rawValue) inside the loss",
                          notes: ["the cast cuts the gradient (TensorFlow: `None`; PyTorch: no graph)",
                                  type == .uint8 ? "uint8 values wrap at 256: sums of masks overflow" : "integer arithmetic truncates: divisions round toward zero"])
        }
        return try x.cast(type)
    }

    /// A Python scalar pulled out of a tensor (`float(t)`, `t.item()`, `t.numpy()`): on a one-element tensor
    /// it leaves the graph; on a larger one the frameworks raise, and LossDoctor goes on as if it were a cast.
    static func scalarConversion(_ x: Tensor, api: String, call: Call) throws -> Value {
        if x.count != 1 {
            call.diagnose("LD603", "`\(api)` of a tensor with more than one element raises at the first call (shape \(Tensor.describe(x.shape)) on the first probe)",
                          notes: ["TensorFlow eager: `TypeError: only 0-dimensional arrays can be converted to Python scalars`; inside model.fit: `TypeError: float() argument must be a string or a real number, not 'SymbolicTensor'`",
                                  "PyTorch: `ValueError: only one element tensors can be converted to Python scalars`",
                                  "LossDoctor goes on as if it were a cast to float32 (`K.cast(x, 'float32')`, `x.float()`)"])
            return .tensor(try x.cast(.float32))
        }
        return .tensor(try x.stopGradient().reshaped([]))
    }
}

extension Common {
    /// Matrix product of 1-D or 2-D tensors (`K.dot`, `@`, `torch.matmul`), as a broadcast product summed
    /// over the shared axis: slower than BLAS, exact in its gradient.
    static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        switch (a.shape.count, b.shape.count) {
        case (1, 1): return try (a * b).sum()
        case (2, 2):
            guard a.shape[1] == b.shape[0] else { throw EngineError.shapeMismatch(op: "matmul", a.shape, b.shape) }
            return try (a.reshaped([a.shape[0], a.shape[1], 1]) * b.reshaped([1, b.shape[0], b.shape[1]])).sum(axes: [1])
        case (2, 1): return try matmul(a, b.reshaped([b.count, 1])).reshaped([a.shape[0]])
        case (1, 2): return try matmul(a.reshaped([1, a.count]), b).reshaped([b.shape[1]])
        default: throw EngineError.invalidArgument("matrix products of rank \(a.shape.count) and \(b.shape.count) are not supported")
        }
    }

    /// Inserts an axis of extent 1.
    static func expandDims(_ x: Tensor, axis: Int) throws -> Tensor {
        let rank = x.shape.count + 1
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw EngineError.invalidArgument("axis \(axis) is out of range for expand_dims") }
        var shape = x.shape
        shape.insert(1, at: a)
        return try x.reshaped(shape)
    }

    /// Removes axes of extent 1 (all of them when `axes` is nil).
    static func squeeze(_ x: Tensor, axes: [Int]?) throws -> Tensor {
        let rank = x.shape.count
        let targets = try axes.map { list -> [Int] in
            guard let normalized = normalizedAxes(list, rank: rank) else { throw EngineError.invalidArgument("axis \(list) is out of range for squeeze") }
            return normalized
        } ?? x.shape.indices.filter { x.shape[$0] == 1 }
        for a in targets where x.shape[a] != 1 {
            throw EngineError.invalidArgument("cannot squeeze axis \(a) with size \(x.shape[a])")
        }
        return try x.reshaped(x.shape.indices.filter { !targets.contains($0) }.map { x.shape[$0] })
    }
}
