/// `t[mask] = 0`, `t[:, 0] = x`, `t[idx] += 1` on tensors, with each framework's semantics: PyTorch and
/// NumPy write in place, TensorFlow tensors are immutable (`TypeError`). The written tensor is rebuilt
/// from engine ops (`where(written, value, t)`), so the gradient flows to the elements that were not
/// overwritten and, through the value, to those that were, exactly as in place writes differentiate.
extension Interpreter {
    /// Whether the file works with TensorFlow tensors only (no PyTorch or NumPy import): then tensors
    /// cannot be written.
    var tensorsAreImmutable: Bool {
        var tensorFlow = false
        for case .module(let path) in globals.variables.values {
            let root = BuiltinRegistry.canonical(path).split(separator: ".").first.map(String.init) ?? ""
            if root == "torch" || root == "F" || root == "np" { return false }
            if root == "tf" || root == "keras" || root == "K" || root == "ops" { tensorFlow = true }
        }
        return tensorFlow
    }

    /// The tensor `t` after `t[index] = value`.
    func assignItems(of t: Tensor, at index: Value, _ value: Value, site here: SourceSite) throws -> Tensor {
        if tensorsAreImmutable {
            throw InterpreterError(.pythonError, "TypeError: 'tensorflow.python.framework.ops.EagerTensor' object does not support item assignment",
                                   at: here, hint: "TensorFlow tensors are immutable: build the tensor with tf.where or tf.tensor_scatter_nd_update")
        }
        let written = try tensor(value, site: here)
        if case .tensor(let mask) = index {
            guard mask.dtype == .bool else {
                throw InterpreterError(.unsupportedSyntax, "item assignment through an integer index tensor (advanced indexing) is outside the subset LossDoctor evaluates",
                                       at: here, hint: "write it with `torch.where(mask, value, t)`")
            }
            return try assignMasked(t, mask, written, at: here)
        }
        return try assignWindow(t, index, written, at: here)
    }

    /// `t[mask] = v` with a boolean mask over the leading axes of `t` and a scalar `v`.
    private func assignMasked(_ t: Tensor, _ mask: Tensor, _ value: Tensor, at here: SourceSite) throws -> Tensor {
        guard mask.shape.count <= t.shape.count, Array(t.shape.prefix(mask.shape.count)) == mask.shape else {
            throw InterpreterError(.pythonError, "IndexError: the shape of the mask \(Tensor.describe(mask.shape)) does not match the shape of the indexed tensor \(Tensor.describe(t.shape))", at: here)
        }
        guard value.count == 1 else { return try assignMaskedRows(t, mask, value, at: here) }
        return try engine(here) {
            let condition = mask.shape == t.shape ? mask : try mask.reshaped(mask.shape + Array(repeating: 1, count: t.shape.count - mask.shape.count))
            return try Tensor.select(condition, try value.reshaped([]).cast(t.dtype), t)
        }
    }

    /// `t[mask] = v` with one row of `v` per selected position, in row-major order (MONAI's boundary loss writes
    /// `signed[mask] = -(dist[mask] - 1)`): `v` is the selected count, then the axes the mask does not cover, or
    /// broadcasts to that. Each written element takes its value from `v`, so the gradient reaches `v` there.
    private func assignMaskedRows(_ t: Tensor, _ mask: Tensor, _ value: Tensor, at here: SourceSite) throws -> Tensor {
        let rest = Array(t.shape.dropFirst(mask.shape.count))
        let rowSize = rest.reduce(1, *)
        let selected = mask.scalars.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        return try engine(here) {
            guard let rows = try? value + Tensor.filled(0, shape: [selected] + rest, dtype: value.dtype), rows.shape == [selected] + rest else {
                throw InterpreterError(.pythonError, "RuntimeError: shape mismatch: value tensor of shape \(Tensor.describe(value.shape)) cannot be broadcast to indexing result of shape \(Tensor.describe([selected] + rest))", at: here)
            }
            guard selected > 0 else { return t }
            var source = [Int](repeating: 0, count: t.count), row = 0
            for m in 0..<mask.count where mask.scalars[m] != 0 {
                for r in 0..<rowSize { source[m * rowSize + r] = row * rowSize + r }
                row += 1
            }
            let condition = mask.shape == t.shape ? mask : try mask.reshaped(mask.shape + Array(repeating: 1, count: rest.count))
            return try Tensor.select(condition, try rows.cast(t.dtype).take(source, shape: t.shape), t)
        }
    }

    /// `t[i, a:b, ...] = v`: basic indexing with ints, unit-step slices, `None` and `...`.
    private func assignWindow(_ t: Tensor, _ index: Value, _ value: Tensor, at here: SourceSite) throws -> Tensor {
        let items = try Self.indexItems(index, rank: t.shape.count, at: here)
        var starts: [Int] = [], counts: [Int] = [], selectedShape: [Int] = []
        var axis = 0
        for item in items {
            switch item {
            case .none:
                selectedShape.append(1)
            case .slice(let a, let b, let c):
                let (first, stride, count) = try Self.resolve(a, b, c, length: t.shape[axis], interpreter: self, at: here)
                guard stride == 1 || count <= 1 else {
                    throw InterpreterError(.unsupportedSyntax, "item assignment through a slice with step \(stride) is outside the subset LossDoctor evaluates",
                                           at: here, hint: "write it with `torch.where` and a mask")
                }
                starts.append(count > 0 ? first : 0); counts.append(count); selectedShape.append(count)
                axis += 1
            default:
                guard let i = try integer(item) else {
                    throw InterpreterError(.unsupportedSyntax, "item assignment to a tensor indexed by \(item.typeName) is outside the subset LossDoctor evaluates", at: here,
                                           hint: "write it with `torch.where` and a mask")
                }
                guard let position = Self.normalize(i, count: t.shape[axis]) else {
                    throw InterpreterError(.pythonError, "IndexError: index \(i) is out of bounds for dimension \(axis) with size \(t.shape[axis])", at: here)
                }
                starts.append(position); counts.append(1)
                axis += 1
            }
        }
        while axis < t.shape.count {
            starts.append(0); counts.append(t.shape[axis]); selectedShape.append(t.shape[axis])
            axis += 1
        }
        if counts.contains(0) { return t }
        return try engine(here) {
            // The value broadcast to what `t[index]` selects, laid out as the window it overwrites.
            let broadcast = try value.cast(t.dtype) + Tensor(repeating: 0, shape: selectedShape, dtype: t.dtype)
            guard broadcast.shape == selectedShape else {
                throw EngineError.shapeMismatch(op: "item assignment", value.shape, selectedShape)
            }
            let after = zip(t.shape, zip(starts, counts)).map { $0 - $1.0 - $1.1 }
            let placed = try broadcast.reshaped(counts).padded(before: starts, after: after)
            let written = try Tensor(repeating: 1, shape: counts).padded(before: starts, after: after).cast(.bool)
            return try Tensor.select(written, placed, t)
        }
    }
}
