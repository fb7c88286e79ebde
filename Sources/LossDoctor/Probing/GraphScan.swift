/// Reads patterns out of one evaluated graph: what the rules about domains, logs and reductions need.
struct GraphScan {
    let target: Tensor
    let prediction: Tensor
    let probe: ProbeID

    /// Ops that only move or relabel values: looking through them still sees the same quantity.
    static func isLayoutOnly(_ op: Op) -> Bool {
        switch op {
        case .reshape, .transpose, .slice, .concat, .pad: true
        case .cast(let type): type.isFloatingPoint
        default: false
        }
    }

    /// Ops that keep a probability a probability (affine maps with constants, clipping), for tracing
    /// a log back to the sigmoid that made its argument.
    private static func isTransparent(_ op: Op) -> Bool {
        switch op {
        case .add, .subtract, .multiply, .divide, .negate, .clip, .minimum, .maximum: true
        default: isLayoutOnly(op)
        }
    }

    /// `tensor` seen through its layout-only ops (reshapes, transposes): what they were applied to.
    static func behindLayout(_ tensor: Tensor) -> Tensor {
        var current = tensor
        while let node = current.node, isLayoutOnly(node.op), let input = node.inputs.first { current = input }
        return current
    }

    /// Whether `tensor` is the prediction, seen through layout-only ops.
    private func isPrediction(_ tensor: Tensor) -> Bool {
        var current = tensor
        for _ in 0..<16 {
            if current === prediction { return true }
            guard let node = current.node else { return false }
            if Self.isLayoutOnly(node.op), let input = node.inputs.first {
                current = input
            } else if case .select = node.op, node.inputs.count == 3, !node.inputs[2].dependsOnVariable {
                current = node.inputs[1]  // `pred.masked_fill(~valid, 0)`: ignored positions set to a constant
            } else if case .select = node.op, node.inputs.count == 3, !node.inputs[1].dependsOnVariable {
                current = node.inputs[2]
            } else {
                return false
            }
        }
        return false
    }

    /// The prediction, or the prediction minus something (its maximum, for a stable log-sum-exp).
    private func isShiftedPrediction(_ tensor: Tensor) -> Bool {
        if isPrediction(tensor) { return true }
        guard let node = tensor.node else { return false }
        switch node.op {
        case .subtract: return isShiftedPrediction(node.inputs[0])
        default: return false
        }
    }

    /// The sigmoid/softmax that made `tensor`, looking back through transparent ops.
    private func activation(behind tensor: Tensor) -> Node? {
        var frontier = [tensor]
        for _ in 0..<12 {
            var next: [Tensor] = []
            for t in frontier where t.dependsOnVariable {
                guard let node = t.node else { continue }
                switch node.op {
                case .sigmoid, .softmax: return node
                default: if Self.isTransparent(node.op) { next += node.inputs }
                }
            }
            if next.isEmpty { return nil }
            frontier = next
        }
        return nil
    }

    /// Whether a ratio's denominator is made from sums or means over positions (a Dice's cardinality, an IoU's union),
    /// through arithmetic: a min-max normalisation (`(x - min) / (max - min)`, kornia's Hausdorff erosion) divides
    /// by extremes, not by statistics, and is no overlap.
    static func isSummedStatistic(_ tensor: Tensor) -> Bool {
        var frontier = [tensor]
        for _ in 0..<8 {
            var next: [Tensor] = []
            for t in frontier where t.dependsOnVariable {
                guard let node = t.node else { continue }
                switch node.op {
                case .reduce(.sum, _, _), .reduce(.mean, _, _):
                    if node.inputs[0].count > t.count { return true }
                case .add, .subtract, .multiply, .divide, .negate, .clip, .maximum, .minimum, .power:
                    next += node.inputs
                default:
                    if isLayoutOnly(node.op) { next += node.inputs }
                }
            }
            if next.isEmpty { return false }
            frontier = next
        }
        return false
    }

    /// The clip a log's argument comes from, through `1 - x` and negation (`log(1 - clip(p, lo, hi))`).
    private func clip(behind tensor: Tensor) -> Node? {
        var current = tensor
        for _ in 0..<4 {
            guard let node = current.node else { return nil }
            switch node.op {
            case .clip: return node
            case .negate: current = node.inputs[0]
            case .subtract where node.inputs.count == 2 && !node.inputs[0].dependsOnVariable: current = node.inputs[1]
            default: return nil
            }
        }
        return nil
    }

    /// The normalised axis of a softmax or log-softmax node, or of a softmax written out: `e / e.sum(axis)` with
    /// `e` an `exp` (nnU-Net's `softmax_helper` subtracts the maximum first).
    static func softmaxAxis(_ node: Node) -> Int? {
        switch node.op {
        case .softmax(let axis), .logSoftmax(let axis):
            let rank = node.inputs[0].shape.count
            let a = axis < 0 ? axis + rank : axis
            return a >= 0 && a < rank ? a : nil
        case .divide:
            return writtenSoftmaxAxis(node)
        default: return nil
        }
    }

    /// The axis of `e / sum(e, axis, keepdims)` where `e = exp(...)`: one axis, summed from the numerator itself.
    private static func writtenSoftmaxAxis(_ node: Node) -> Int? {
        guard node.inputs.count == 2 else { return nil }
        let (numerator, denominator) = (node.inputs[0], node.inputs[1])
        guard case .exp? = numerator.node?.op, let sum = denominator.node, case .reduce(.sum, let axes, true) = sum.op,
              axes.count == 1, sum.inputs.first === numerator, numerator.shape.count == denominator.shape.count else { return nil }
        return axes[0]
    }

    /// The extent of the axis a softmax or log-softmax normalises over.
    static func softmaxExtent(_ node: Node) -> Int? {
        softmaxAxis(node).map { node.inputs[0].shape[$0] }
    }

    /// The extents of the axes of every softmax on the prediction's path: a multi-class probe is
    /// consistent when each is the class count.
    static func softmaxExtents(of output: Tensor) -> [Int] {
        output.topologicalOrder().compactMap { tensor in
            guard let node = tensor.node, node.inputs.first?.dependsOnVariable == true else { return nil }
            return softmaxExtent(node)
        }
    }

    func facts(of output: Tensor) -> [GraphFact] {
        var facts: [GraphFact] = []
        var fromTarget = Set<ObjectIdentifier>([ObjectIdentifier(target)])
        // Degenerate reductions harm only when a ratio is then formed per pixel (a per-pixel Dice); a sum over
        // the one channel of per-pixel terms (categorical cross-entropy's `sum(y * log p, axis=-1)`) changes nothing.
        var degenerate: [GraphFact] = []
        var confirmed = Set<Int>()
        var classSumCandidates = Set<Int>()
        var afterDegenerate: [ObjectIdentifier: Set<Int>] = [:]
        // A one-channel probe, NCHW or NHWC: every axis but the batch and the channel is spatial (volumes too: the
        // loss sees the images folded into a rank-5 tensor, still of one channel).
        let oneChannel = prediction.shape.count >= 4 && (prediction.shape[1] == 1 || prediction.shape.last == 1)
        for tensor in output.topologicalOrder() {
            guard let node = tensor.node else { continue }
            if node.inputs.contains(where: { fromTarget.contains(ObjectIdentifier($0)) }) {
                fromTarget.insert(ObjectIdentifier(tensor))
            }
            let upstream = node.inputs.reduce(into: Set<Int>()) { $0.formUnion(afterDegenerate[ObjectIdentifier($1)] ?? []) }
            if !upstream.isEmpty {
                afterDegenerate[ObjectIdentifier(tensor)] = upstream
                if case .divide = node.op, tensor.count > (tensor.shape.first ?? 1) { confirmed.formUnion(upstream) }
            }
            let site = OpSite(node.op, site: node.site)
            func add(_ kind: GraphFact.Kind, _ detail: String, at opSite: OpSite? = nil) {
                facts.append(GraphFact(kind: kind, op: opSite ?? site, detail: detail, probe: probe))
            }
            if let extent = Self.softmaxExtent(node), extent == 1, node.inputs[0].dependsOnVariable, node.inputs[0].count > 1 {
                let written = if case .divide = node.op { " (a softmax written out: exp divided by its sum)" } else { "" }
                add(.softmaxOverOneChannel, "axis \(Self.softmaxAxis(node) ?? 0) of shape \(Tensor.describe(node.inputs[0].shape))" + written)
            }
            switch node.op {
            case .sigmoid, .softmax, .logSigmoid, .logSoftmax:
                if isPrediction(node.inputs[0]) { add(.activationOnPrediction, node.op.name) }
            case .divide where node.inputs.count == 2 && node.inputs.allSatisfy(\.dependsOnVariable) && tensor.count < prediction.count
                && Self.isSummedStatistic(node.inputs[1]):
                add(.overlapRatio, "")
            case .exp where isShiftedPrediction(node.inputs[0]):
                add(.expOfPrediction, "")
            case .log:
                let input = node.inputs[0]
                if !input.dependsOnVariable {
                    if fromTarget.contains(ObjectIdentifier(input)) { add(.logOfTarget, "") }
                } else {
                    add(.logOfPredictionTerm, "")
                    if isPrediction(input) { add(.logOfPrediction, "") }
                    let activation = activation(behind: input)
                    if let activation {
                        add(.logOfActivation, activation.op.name, at: OpSite(activation.op, site: activation.site))
                    }
                    if let low = input.scalars.min(), low <= 0 {
                        add(.logOfZero, low == 0 ? "0" : "\(low)")
                        if let activation { add(.logOfZeroAfterActivation, activation.op.name) }
                        if let clip = clip(behind: input), case .clip(let lower, let upper) = clip.op, lower <= 0 || upper >= 1 {
                            add(.logOfZeroThroughClip, "[\(formatNumber(Double(lower), significant: 3)), \(formatNumber(Double(upper), significant: 3))]")
                        }
                    }
                }
            case .reduce(let reduction, let axes, _):
                let input = node.inputs[0]
                // Per-pixel only while spatial extent remains: a mean over the one class of per-class statistics
                // `(N, 1)` (a multi-class loss on a one-channel probe) reduces nothing and harms nothing.
                if !axes.isEmpty, input.count > 1, input.count > (input.shape.first ?? 1), input.dependsOnVariable,
                   axes.allSatisfy({ input.shape[$0] == 1 }) {
                    afterDegenerate[ObjectIdentifier(tensor), default: []].insert(degenerate.count)
                    degenerate.append(GraphFact(kind: .degenerateReduction, op: site,
                                                detail: "axis \(axes.map(String.init).joined(separator: ", ")) of shape \(Tensor.describe(input.shape))",
                                                probe: probe))
                    if case .reduce(.sum, _, _) = node.op, axes == [input.shape.count - 1] {
                        classSumCandidates.insert(degenerate.count - 1)
                    }
                } else if oneChannel, reduction == .sum || reduction == .mean, input.shape.count >= prediction.shape.count, input.dependsOnVariable,
                          input.shape[1] == 1 || input.shape.last == 1,
                          axes.contains(where: { $0 != 0 && input.shape[$0] > 1 }),
                          tensor.shape.dropFirst().contains(where: { $0 > 1 }) {
                    // Some spatial axes reduced, others kept (a 2-D Dice's `sum((2, 3))` on volumes): on a one-channel
                    // probe what is left besides the batch is spatial, so each row or column gets its own ratio. The
                    // reduced tensor must still have the one channel: MONAI's unified focal loss stacks (1 - p, p) into
                    // two channels and keeps them, one ratio per class.
                    afterDegenerate[ObjectIdentifier(tensor), default: []].insert(degenerate.count)
                    degenerate.append(GraphFact(kind: .partialSpatialReduction, op: site,
                                                detail: "axis \(axes.map(String.init).joined(separator: ", ")) of shape \(Tensor.describe(input.shape)), leaving \(Tensor.describe(tensor.shape))",
                                                probe: probe))
                }
            default: break
            }
        }
        let perPixelRatios = degenerate.indices.filter(confirmed.contains).map { degenerate[$0] }
        // Only where no per-pixel ratio is formed at all: a per-pixel Dice's denominator is a sum over the channel too.
        let classSums = !confirmed.isEmpty ? [] : degenerate.indices.filter { classSumCandidates.contains($0) }
            .map { GraphFact(kind: .sumOverOneChannel, op: degenerate[$0].op, detail: degenerate[$0].detail, probe: probe) }
        return facts + perPixelRatios + classSums
    }
}
