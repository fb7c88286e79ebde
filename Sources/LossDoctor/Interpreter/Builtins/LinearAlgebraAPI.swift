/// Norms, products and axis moves as losses use them: `torch.linalg.vector_norm`, `torch.norm`,
/// `tf.norm`, `dot`, `einsum` (`"bchw,bchw->bc"`), `tensordot`, `movedim`, `F.normalize`, plus `elu`
/// and `F.pad`. Each follows its framework's gradient where they differ (the 2-norm at zero).
enum LinearAlgebraAPI {
    /// A vector norm of order `ord` over `axes`. `maskZero`: the gradient at a zero vector is 0, as in
    /// PyTorch (its norm backward masks it); TensorFlow differentiates sqrt(sum(x²)) and gives NaN there.
    static func vectorNorm(_ x: Tensor, ord: Float, axes: [Int]?, keepDims: Bool, maskZero: Bool) throws -> Tensor {
        switch ord {
        case .infinity: return try x.abs().max(axes: axes, keepDims: keepDims)
        case -.infinity: return try x.abs().min(axes: axes, keepDims: keepDims)
        case 0: return try x.compare(.notEqual, Tensor(0)).cast(.float32).sum(axes: axes, keepDims: keepDims)
        case 1: return try x.abs().sum(axes: axes, keepDims: keepDims)
        default:
            let powered = ord == 2 ? try x.squared() : try x.abs().pow(Tensor(ord))
            let total = try powered.sum(axes: axes, keepDims: keepDims)
            let root: (Tensor) throws -> Tensor = { ord == 2 ? try $0.sqrt() : try $0.pow(Tensor(1 / ord)) }
            guard maskZero else { return try root(total) }
            let zero = try total.compare(.equal, Tensor(0))
            return try Tensor.select(zero, Tensor(0), root(Tensor.select(zero, Tensor(1), total)))
        }
    }

    /// The order of a norm: a number, `inf`, or a name (`'fro'`, `'euclidean'`: 2).
    static func order(_ value: Value, default fallback: Float, call: Call) throws -> Float {
        switch value {
        case .none: return fallback
        case .string(let name) where ["fro", "euclidean"].contains(name): return 2
        case .string(let name):
            throw InterpreterError(.unsupportedCall, "a norm of order '\(name)' is not one LossDoctor models", at: call.site, hint: "use a vector norm (ord=1, 2, inf)")
        default:
            guard let number = value.number else { throw call.error("\(call.name)(): ord must be a number") }
            return Float(number)
        }
    }

    static func torchNorm(_ signature: String, ordName: String, fallback: Float) -> BuiltinFunction {
        let tensorName = Common.firstName(String(signature.split(separator: ",")[0]))
        return { call in
            let args = try call.bind(signature)
            let x = try args.tensor(tensorName)
            let ord = try order(args[ordName], default: fallback, call: call)
            return .tensor(try vectorNorm(x, ord: ord, axes: args.axes("dim"), keepDims: args.bool("keepdim"), maskZero: true))
        }
    }

    /// `einsum` for equations without repeated labels inside one operand or ellipses: every operand is
    /// laid out over all labels, multiplied with broadcasting, and summed over the labels the output lacks.
    static func einsum(_ equation: String, _ operands: [Tensor], call: Call) throws -> Tensor {
        let text = equation.filter { $0 != " " }
        guard !text.contains(".") else {
            throw InterpreterError(.unsupportedCall, "`einsum` with an ellipsis is not a call LossDoctor models", at: call.site, hint: "name every axis in the equation")
        }
        let sides = text.split(separator: "-", omittingEmptySubsequences: false)
        let inputs = sides[0].split(separator: ",", omittingEmptySubsequences: false).map { Array($0) }
        guard inputs.count == operands.count, sides.count <= 2 else {
            throw call.error("RuntimeError: einsum(): the equation names \(inputs.count) operands, \(operands.count) were given")
        }
        var labels: [Character] = []
        var extents: [Character: Int] = [:]
        for (operand, letters) in zip(operands, inputs) {
            guard letters.count == operand.shape.count else {
                throw call.error("RuntimeError: einsum(): the number of subscripts in the equation (\(letters.count)) does not match the number of dimensions (\(operand.shape.count)) for operand")
            }
            guard Set(letters).count == letters.count else {
                throw InterpreterError(.unsupportedCall, "`einsum` with a repeated label in one operand (a diagonal) is not a call LossDoctor models", at: call.site, hint: "take the diagonal explicitly")
            }
            for (letter, extent) in zip(letters, operand.shape) {
                if !labels.contains(letter) { labels.append(letter) }
                if let known = extents[letter], known != extent, known != 1, extent != 1 {
                    throw call.error("RuntimeError: einsum(): operands do not broadcast with remapped shapes for subscript \(letter): \(known) and \(extent)")
                }
                extents[letter] = Swift.max(extents[letter] ?? 1, extent)
            }
        }
        let output: [Character]
        if sides.count == 2 {
            output = Array(sides[1].dropFirst())  // after "->"
            guard output.allSatisfy(labels.contains), Set(output).count == output.count else {
                throw call.error("RuntimeError: einsum(): output subscripts must appear in the inputs, once")
            }
        } else {
            output = labels.filter { l in inputs.reduce(0) { $0 + $1.filter { $0 == l }.count } == 1 }.sorted()
        }
        var product: Tensor?
        for (operand, letters) in zip(operands, inputs) {
            let order = labels.filter(letters.contains)
            let arranged = try operand.transposed(order.map { letters.firstIndex(of: $0)! })
            let laidOut = try arranged.reshaped(labels.map { letters.contains($0) ? operand.shape[letters.firstIndex(of: $0)!] : 1 })
            product = try product.map { try $0 * laidOut } ?? laidOut
        }
        guard var result = product else { throw call.error("einsum(): no operands") }
        let summed = labels.indices.filter { !output.contains(labels[$0]) }
        if !summed.isEmpty { result = try result.sum(axes: summed) }
        let remaining = labels.filter(output.contains)
        let permutation = output.map { remaining.firstIndex(of: $0)! }
        return permutation == Array(permutation.indices) ? result : try result.transposed(permutation)
    }

    /// `einsum(equation, *operands)` or `einsum(equation, [operands])`.
    static let einsumFunction: BuiltinFunction = { call in
        guard case .string(let equation)? = call.positional.first else { throw call.error("einsum(): the first argument must be the equation") }
        var rest = Array(call.positional.dropFirst())
        if rest.count == 1, let items = rest[0].sequence { rest = items }
        return .tensor(try einsum(equation, rest.map { try call.interpreter.tensor($0, site: call.site) }, call: call))
    }

    /// `tensordot(a, b, axes)`: `axes` an int n (the last n of a with the first n of b) or two lists.
    static let tensordot: BuiltinFunction = { call in
        let args = try call.bind("a, b, axes|dims=2, name=None")
        let (a, b) = (try args.tensor("a"), try args.tensor("b"))
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        guard a.shape.count + b.shape.count <= letters.count else { throw call.error("tensordot(): too many dimensions") }
        let left = Array(letters[0..<a.shape.count])
        var right = Array(letters[a.shape.count..<(a.shape.count + b.shape.count)])
        let pairs: [(Int, Int)]
        if let n = args["axes"].number.map({ Int($0) }) {
            guard n <= a.shape.count, n <= b.shape.count else { throw call.error("tensordot(): axes exceeds the rank") }
            pairs = (0..<n).map { (a.shape.count - n + $0, $0) }
        } else if let lists = args["axes"].sequence, lists.count == 2 {
            let first = lists[0].sequence ?? [lists[0]], second = lists[1].sequence ?? [lists[1]]
            pairs = try zip(first, second).map { pair in
                guard let i = try call.interpreter.integer(pair.0), let j = try call.interpreter.integer(pair.1) else { throw call.error("tensordot(): axes must be ints") }
                return (i < 0 ? i + a.shape.count : i, j < 0 ? j + b.shape.count : j)
            }
        } else {
            throw call.error("tensordot(): axes must be an int or a pair of lists")
        }
        for (i, j) in pairs { right[j] = left[i] }
        let output = left.filter { l in !pairs.contains { left[$0.0] == l } } + right.filter { r in !pairs.contains { left[$0.0] == r } }
        return .tensor(try einsum(String(left) + "," + String(right) + "->" + String(output), [a, b], call: call))
    }

    /// `movedim(input, source, destination)` with ints or sequences.
    static let movedim: BuiltinFunction = { call in
        let args = try call.bind("input|x|self, source, destination")
        let x = try args.tensor("input")
        let rank = x.shape.count
        guard let source = try args.axes("source").flatMap({ normalizedAxes($0, rank: rank) }),
              let destination = try args.axes("destination").flatMap({ normalizedAxes($0, rank: rank) }),
              source.count == destination.count else {
            throw call.error("RuntimeError: movedim: invalid source or destination dims")
        }
        var order = [Int?](repeating: nil, count: rank)
        for (s, d) in zip(source, destination) { order[d] = s }
        var rest = (0..<rank).filter { !source.contains($0) }.makeIterator()
        let permutation = order.map { $0 ?? rest.next()! }
        return .tensor(try x.transposed(permutation))
    }

    /// `dot(a, b)` of two 1-D tensors (`torch.dot` raises on other ranks).
    static let dot: BuiltinFunction = { call in
        let args = try call.bind("input|self, tensor|other")
        let (a, b) = (try args.tensor("input"), try args.tensor("tensor"))
        guard a.shape.count == 1, b.shape.count == 1 else {
            throw call.error("RuntimeError: 1D tensors expected, but got \(a.shape.count)D and \(b.shape.count)D tensors")
        }
        guard a.count == b.count else {
            throw call.error("RuntimeError: inconsistent tensor size, expected tensor [\(a.count)] and src [\(b.count)] to have the same number of elements, but got \(a.count) and \(b.count) elements respectively")
        }
        return .tensor(try (a * b).sum())
    }

    /// `elu(x, alpha=1)`: x above 0, alpha·(e^x - 1) below.
    static func elu(_ x: Tensor, alpha: Float) throws -> Tensor {
        let negative = try Tensor.minimum(x, Tensor(0))
        return try Tensor.select(x.compare(.greater, Tensor(0)), x, (negative.exp() - 1) * Tensor(alpha))
    }

    /// `F.pad(input, pad, mode='constant', value=None)`: `pad` pairs from the last axis backwards.
    static let torchPad: BuiltinFunction = { call in
        let args = try call.bind("input, pad, mode='constant', value=None")
        let x = try args.tensor("input")
        let pads = try Common.shape([args["pad"]], call: call)
        guard pads.count % 2 == 0, pads.count / 2 <= x.shape.count else {
            throw call.error("RuntimeError: Padding length must be divisible by 2 and at most twice the number of dimensions of the input")
        }
        guard pads.allSatisfy({ $0 >= 0 }) else {
            throw InterpreterError(.unsupportedCall, "`F.pad` with negative padding (cropping) is not a call LossDoctor models", at: call.site, hint: "crop with a slice")
        }
        var before = x.shape.map { _ in 0 }, after = before
        for k in 0..<(pads.count / 2) {
            before[x.shape.count - 1 - k] = pads[2 * k]
            after[x.shape.count - 1 - k] = pads[2 * k + 1]
        }
        switch try args.string("mode") ?? "constant" {
        case "constant":
            let padded = try x.padded(before: before, after: after)
            let value = args.isNone("value") ? 0 : try args.float("value")
            guard value != 0 else { return .tensor(padded) }
            let inside = try Tensor.filled(1, shape: x.shape).padded(before: before, after: after)
            return .tensor(try padded + (1 - inside) * Tensor(value))
        case let mode where ["replicate", "reflect", "circular"].contains(mode):
            var result = x
            for axis in x.shape.indices where before[axis] > 0 || after[axis] > 0 {
                let n = x.shape[axis]
                let source = (-before[axis]..<(n + after[axis])).map { i -> Int in
                    switch mode {
                    case "replicate": return Swift.min(Swift.max(i, 0), n - 1)
                    case "circular": return ((i % n) + n) % n
                    default:
                        let period = Swift.max(2 * (n - 1), 1)
                        let m = ((i % period) + period) % period
                        return m < n ? m : period - m
                    }
                }
                if mode == "reflect" && (before[axis] >= n || after[axis] >= n) {
                    throw call.error("RuntimeError: Argument #4: Padding size should be less than the corresponding input dimension")
                }
                result = try result.gatherSlices(axis: axis, index: Tensor(shape: [source.count], scalars: source.map(Float.init), dtype: .int64))
            }
            return .tensor(result)
        case let mode:
            throw call.error("NotImplementedError: padding mode '\(mode)' is not one of constant, reflect, replicate, circular")
        }
    }

    static let functions: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [
            "torch.linalg.vector_norm": torchNorm("x|input, ord=2, dim=None, keepdim=False, *, dtype=None", ordName: "ord", fallback: 2),
            "torch.linalg.norm": torchNorm("input|A, ord=None, dim=None, keepdim=False, *, dtype=None", ordName: "ord", fallback: 2),
            "torch.norm": torchNorm("input, p='fro', dim=None, keepdim=False, out=None, dtype=None", ordName: "p", fallback: 2),
            "torch.einsum": einsumFunction,
            "torch.tensordot": tensordot,
            "torch.dot": dot,
            "torch.inner": dot,
            "torch.movedim": movedim,
            "torch.moveaxis": movedim,
            "F.normalize": { call in
                let args = try call.bind("input, p=2.0, dim=1, eps=1e-12, out=None")
                let x = try args.tensor("input")
                let norm = try vectorNorm(x, ord: args.float("p"), axes: [args.int("dim")], keepDims: true, maskZero: true)
                return .tensor(try x / norm.clipped(args.float("eps"), .infinity))
            },
            "F.elu": { call in
                let args = try call.bind("input, alpha=1.0, inplace=False")
                return .tensor(try elu(args.tensor("input"), alpha: args.float("alpha")))
            },
            "F.pad": torchPad,
            "tf.nn.elu": Common.unary("features, name=None") { try elu($0, alpha: 1) },
            "tf.norm": { call in
                let args = try call.bind("tensor, ord='euclidean', axis=None, keepdims=None, name=None")
                let ord = try order(args["ord"], default: 2, call: call)
                return .tensor(try vectorNorm(args.tensor("tensor"), ord: ord, axes: args.axes("axis"), keepDims: args.bool("keepdims"), maskZero: false))
            },
            "tf.einsum": einsumFunction,
            "tf.tensordot": tensordot,
            "ops.einsum": einsumFunction,
            "ops.tensordot": tensordot,
            "ops.moveaxis": movedim,
            "ops.norm": { call in
                let args = try call.bind("x, ord=None, axis=None, keepdims=False")
                let ord = try order(args["ord"], default: 2, call: call)
                return .tensor(try vectorNorm(args.tensor("x"), ord: ord, axes: args.axes("axis"), keepDims: args.bool("keepdims"), maskZero: false))
            },
            "np.einsum": einsumFunction,
            "np.tensordot": tensordot,
            "np.moveaxis": movedim,
            "np.linalg.norm": { call in
                let args = try call.bind("x, ord=None, axis=None, keepdims=False")
                let ord = try order(args["ord"], default: 2, call: call)
                return .tensor(try vectorNorm(args.tensor("x"), ord: ord, axes: args.axes("axis"), keepDims: args.bool("keepdims"), maskZero: false))
            },
        ]
        table["torch.nn.ELU"] = Common.module("alpha=1.0, inplace=False", table["F.elu"]!)
        table["tf.linalg.norm"] = table["tf.norm"]
        table["tf.linalg.einsum"] = table["tf.einsum"]
        return table
    }()

    static let methods: [String: BuiltinFunction] = [
        "norm": torchNorm("self, p='fro', dim=None, keepdim=False, dtype=None", ordName: "p", fallback: 2),
        "dot": dot,
        "movedim": movedim,
        "moveaxis": movedim,
    ]
}
