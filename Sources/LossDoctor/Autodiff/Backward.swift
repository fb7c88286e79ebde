/// An op in a graph, as a finding names it: its name, gradient class, and source site if known.
public struct OpSite: Hashable, Sendable {
    /// The op's display name, e.g. `//` or `round`.
    public let op: String
    /// How the op passes a gradient: smooth, a cut, or zero almost everywhere.
    public let gradientClass: GradientClass
    /// Where the op was written, when the loss came from a file.
    public let site: SourceSite?
    /// What TensorFlow and PyTorch give as the gradient through it.
    public let tensorflow: String
    /// What PyTorch gives as the gradient through it.
    public let pytorch: String

    init(_ op: Op, site: SourceSite?) {
        self.op = op.name
        self.gradientClass = op.gradientClass
        self.site = site
        (self.tensorflow, self.pytorch) = op.frameworkGradients
    }
}

/// The gradient of a loss with respect to one variable, and why it is what it is.
public struct GradientResult: Sendable {
    /// What the gradient looks like.
    public enum State: String, Sendable {
        /// No differentiable path from the variable to the loss (TensorFlow: `None`).
        case missing
        /// A path exists but every component is exactly zero.
        case zero
        /// Some component is NaN or infinite.
        case nonFinite = "non-finite"
        /// Finite and not identically zero.
        case healthy
    }

    /// Missing, zero, non-finite or healthy.
    public let state: State
    /// The gradient, shaped like the variable; nil when missing.
    public let values: [Float]?
    /// Euclidean norm of the gradient (0 when missing or zero, NaN or inf when non-finite).
    public let norm: Double
    /// Ops that cut a path from the variable to the loss (comparisons, integer casts, `//`, ...).
    public let cuts: [OpSite]
    /// Ops where a non-zero gradient arrived and only zeros left (round, an always-active clip, ...).
    public let zeroing: [OpSite]
    /// The first op, walking back from the loss, whose gradient turned NaN or infinite.
    public let firstNonFinite: OpSite?
}

extension Tensor {
    /// Every tensor the graph of `self` reaches, in an order where inputs come before their users.
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            if expanded { order.append(tensor); continue }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.node?.inputs.reversed() ?? [] where !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }

    /// The first op in execution order whose output is NaN or infinite although its inputs are finite.
    public func firstNonFiniteOp() -> OpSite? {
        var finite: [ObjectIdentifier: Bool] = [:]
        for tensor in topologicalOrder() {
            let isFinite = Kernels.allFinite(tensor.scalars)
            finite[ObjectIdentifier(tensor)] = isFinite
            if !isFinite, let node = tensor.node,
               node.inputs.allSatisfy({ finite[ObjectIdentifier($0)] ?? Kernels.allFinite($0.scalars) }) {
                return OpSite(node.op, site: node.site)
            }
        }
        return nil
    }

    /// Reverse-mode gradients of the sum of `self` with respect to several variables (nil: no path).
    public func gradients(withRespectTo variables: [Tensor]) -> [[Float]?] {
        let kept = backpropagate(topologicalOrder(), keeping: Set(variables.map(ObjectIdentifier.init)), diagnose: false).kept
        return variables.map { kept[ObjectIdentifier($0)]?.values }
    }

    /// The gradient of the sum of `self` with respect to `variable`, classified and explained.
    public func gradient(withRespectTo variable: Tensor) -> GradientResult {
        let order = topologicalOrder()
        let (kept, zeroing, firstNonFinite) = backpropagate(order, keeping: [ObjectIdentifier(variable)], diagnose: true)
        let cuts = order.compactMap { tensor -> OpSite? in
            guard let node = tensor.node else { return nil }
            let cutsPath = node.inputs.indices.contains { node.inputs[$0].requiresGrad && !node.op.passesGradient(toInput: $0) }
            return cutsPath ? OpSite(node.op, site: node.site) : nil
        }
        guard requiresGrad, let values = kept[ObjectIdentifier(variable)]?.values else {
            return GradientResult(state: .missing, values: nil, norm: 0, cuts: cuts, zeroing: zeroing, firstNonFinite: nil)
        }
        let norm = values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let state: GradientResult.State =
            !Kernels.allFinite(values) ? .nonFinite : (values.allSatisfy { $0 == 0 } ? .zero : .healthy)
        return GradientResult(state: state, values: values, norm: norm, cuts: cuts, zeroing: zeroing,
                              firstNonFinite: state == .nonFinite ? firstNonFinite : nil)
    }

    /// Runs the backward pass over `order` (a reverse loop: the order is already topological), seeding
    /// the output with ones, and returns the gradients of the tensors in `keeping` that it reached.
    /// Other gradients are released once passed on, so their buffers are reused by the next op. With
    /// `diagnose`, also finds where gradients died or turned non-finite.
    private func backpropagate(
        _ order: [Tensor], keeping: Set<ObjectIdentifier>, diagnose: Bool
    ) -> (kept: [ObjectIdentifier: Adjoint], zeroing: [OpSite], firstNonFinite: OpSite?) {
        var pending: [ObjectIdentifier: Adjoint] = [ObjectIdentifier(self): .uniform(1, count: count)]
        var kept: [ObjectIdentifier: Adjoint] = [:]
        var zeroing: [OpSite] = []
        var firstNonFinite: OpSite?
        for tensor in order.reversed() {
            guard let g = pending.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
            if keeping.contains(ObjectIdentifier(tensor)) { kept[ObjectIdentifier(tensor)] = g }
            guard tensor.requiresGrad, let node = tensor.node else { continue }
            let needed = node.inputs.indices.map { node.inputs[$0].requiresGrad && node.op.passesGradient(toInput: $0) }
            guard needed.contains(true) else { continue }
            let inputGradients = node.op.backward(node.inputs, output: tensor, adjoint: g, needed: needed)
            if diagnose {
                let outgoing = inputGradients.indices.filter { needed[$0] }.compactMap { inputGradients[$0] }
                if g.containsNonZeroFinite, outgoing.allSatisfy(\.isAllZero) {
                    zeroing.append(OpSite(node.op, site: node.site))
                }
                if firstNonFinite == nil, outgoing.contains(where: { !$0.isAllFinite }), g.isAllFinite {
                    firstNonFinite = OpSite(node.op, site: node.site)
                }
            }
            for (input, gradient) in zip(node.inputs, inputGradients) {
                guard let gradient, input.node != nil, input.requiresGrad else { continue }
                let key = ObjectIdentifier(input)
                if var existing = pending.removeValue(forKey: key) {
                    existing.accumulate(gradient)
                    pending[key] = existing
                } else {
                    pending[key] = gradient
                }
            }
        }
        return (kept, zeroing, firstNonFinite)
    }
}

/// A gradient on its way back: its values, or one value at every position. A sum or a mean sends the
/// same value back to every element of its input; kept unexpanded, it is not written out and read
/// back (for a 1M-element loss, a large part of the backward pass). Ops without a shortcut for it
/// (`Op.uniformBackward`) see the values.
enum Adjoint {
    case values([Float])
    case uniform(Float, count: Int)

    /// The values as an adjoint; a single value is uniform.
    init(_ values: [Float]) {
        self = values.count == 1 ? .uniform(values[0], count: 1) : .values(values)
    }

    /// Every element.
    var values: [Float] {
        switch self {
        case .values(let values): values
        case .uniform(let value, let count): [Float](repeating: value, count: count)
        }
    }

    /// Whether some element is neither zero nor NaN/inf (the gradient that reached an op carried signal).
    var containsNonZeroFinite: Bool {
        switch self {
        case .values(let values): values.contains { $0 != 0 && $0.isFinite }
        case .uniform(let value, let count): count > 0 && value != 0 && value.isFinite
        }
    }

    /// Whether every element is exactly zero.
    var isAllZero: Bool {
        switch self {
        case .values(let values): values.allSatisfy { $0 == 0 }
        case .uniform(let value, let count): count == 0 || value == 0
        }
    }

    /// Whether every element is finite.
    var isAllFinite: Bool {
        switch self {
        case .values(let values): Kernels.allFinite(values)
        case .uniform(let value, let count): count == 0 || value.isFinite
        }
    }

    /// Adds `other` element by element (`self + other`, as the frameworks accumulate), in place when
    /// this holds the only reference to its values.
    mutating func accumulate(_ other: Adjoint) {
        if var mine = takeValues() {
            switch other {
            case .values(let theirs): Kernels.add(theirs, into: &mine)
            case .uniform(let value, _): Kernels.add(value, into: &mine)
            }
            self = .values(mine)
        } else if case .uniform(let value, let count) = self {
            switch other {
            case .values(let theirs): self = .values(Kernels.map(theirs) { value + $0 })
            case .uniform(let theirs, _): self = .uniform(value + theirs, count: count)
            }
        }
    }

    /// Moves the values out (leaving an empty uniform), so they can be changed without a copy; nil for a uniform.
    private mutating func takeValues() -> [Float]? {
        guard case .values(let values) = self else { return nil }
        self = .uniform(0, count: 0)
        return values
    }
}
