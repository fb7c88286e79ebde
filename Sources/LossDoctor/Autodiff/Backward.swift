/// An op in a graph, as a finding names it: its name, gradient class, and source site if known.
public struct OpSite: Hashable, Sendable {
    public let op: String
    public let gradientClass: GradientClass
    public let site: SourceSite?
    /// What TensorFlow and PyTorch give as the gradient through it.
    public let tensorflow: String
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
        let order = topologicalOrder()
        let wanted = Set(variables.map(ObjectIdentifier.init))
        let reached = backpropagate(order, keeping: wanted, diagnose: false).reached
        return variables.map { reached.contains(ObjectIdentifier($0)) ? $0.node?.gradient : nil }
    }

    /// The gradient of the sum of `self` with respect to `variable`, classified and explained.
    public func gradient(withRespectTo variable: Tensor) -> GradientResult {
        let order = topologicalOrder()
        let (reached, zeroing, firstNonFinite) = backpropagate(order, keeping: [ObjectIdentifier(variable)], diagnose: true)
        let cuts = order.compactMap { tensor -> OpSite? in
            guard let node = tensor.node else { return nil }
            let cutsPath = node.inputs.indices.contains { node.inputs[$0].requiresGrad && !node.op.passesGradient(toInput: $0) }
            return cutsPath ? OpSite(node.op, site: node.site) : nil
        }
        guard requiresGrad, reached.contains(ObjectIdentifier(variable)), let values = variable.node?.gradient else {
            return GradientResult(state: .missing, values: nil, norm: 0, cuts: cuts, zeroing: zeroing, firstNonFinite: nil)
        }
        let norm = values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let state: GradientResult.State =
            !Kernels.allFinite(values) ? .nonFinite : (values.allSatisfy { $0 == 0 } ? .zero : .healthy)
        return GradientResult(state: state, values: values, norm: norm, cuts: cuts, zeroing: zeroing,
                              firstNonFinite: state == .nonFinite ? firstNonFinite : nil)
    }

    /// Runs the backward pass over `order` (a reverse loop: the order is already topological), seeding
    /// the output with ones. Gradients of tensors not in `keeping` are released once passed on, so
    /// their buffers are reused by the next op. With `diagnose`, also finds where gradients died or
    /// turned non-finite. `reached` holds the tensors of `order` (a variable outside the graph keeps
    /// no stale gradient from an earlier pass).
    private func backpropagate(
        _ order: [Tensor], keeping: Set<ObjectIdentifier>, diagnose: Bool
    ) -> (reached: Set<ObjectIdentifier>, zeroing: [OpSite], firstNonFinite: OpSite?) {
        for tensor in order { tensor.node?.gradient = nil }
        node?.gradient = [Float](repeating: 1, count: count)
        var zeroing: [OpSite] = []
        var firstNonFinite: OpSite?
        for tensor in order.reversed() {
            guard tensor.requiresGrad, let node = tensor.node, let g = node.gradient else { continue }
            if !keeping.contains(ObjectIdentifier(tensor)) { node.gradient = nil }
            let needed = node.inputs.indices.map { node.inputs[$0].requiresGrad && node.op.passesGradient(toInput: $0) }
            guard needed.contains(true) else { continue }
            let inputGradients = node.op.backward(node.inputs, output: tensor, gradient: g, needed: needed)
            if diagnose {
                let outgoing = inputGradients.indices.filter { needed[$0] }.compactMap { inputGradients[$0] }
                let arrivedNonZero = g.contains { $0 != 0 && $0.isFinite }
                if arrivedNonZero, outgoing.allSatisfy({ $0.allSatisfy { $0 == 0 } }) {
                    zeroing.append(OpSite(node.op, site: node.site))
                }
                if firstNonFinite == nil, outgoing.contains(where: { !Kernels.allFinite($0) }), Kernels.allFinite(g) {
                    firstNonFinite = OpSite(node.op, site: node.site)
                }
            }
            for (input, gradient) in zip(node.inputs, inputGradients) {
                guard let gradient, let inputNode = input.node, input.requiresGrad else { continue }
                if inputNode.gradient == nil {
                    inputNode.gradient = gradient
                } else {
                    Kernels.add(gradient, into: &inputNode.gradient!)
                }
            }
        }
        return (Set(order.map(ObjectIdentifier.init)), zeroing, firstNonFinite)
    }
}
