/// Chooses the target format (and, for multi-class, the layout) a loss is probed with, by calling it:
/// the binary probe unless it fails or normalises a softmax over its one channel (a multi-class loss), then
/// the multi-class candidates the loss accepts, consistent with its graph (every softmax over the class
/// axis) and its values (the perfect prediction beats uniform 1/C).
struct TargetInference: Sendable {
    /// What was chosen.
    let format: TargetFormat
    let layout: Layout
    /// Why, as reports say it.
    let reason: String
    /// Whether the loss runs on the chosen probe; false when no probe fits and the choice is a fallback.
    var fits = true
    /// When no probe fits: what the one-channel probe raised.
    var failure: String? = nil

    /// - Parameters:
    ///   - make: the loss with a target format and layout.
    ///   - layout: the layout inferred or given.
    ///   - layoutGiven: whether `--layout` fixed it (then multi-class candidates keep it).
    ///   - classes: `--classes`, when given (only candidates with that many classes are tried).
    ///   - ignoreIndex: the label of ignored pixels: a class-index choice is then probed with a frame of
    ///     pixels carrying it.
    ///   - ignoreIndexGiven: whether the user gave it (`--ignore-index`): their targets are label maps, so only
    ///     class-index candidates are tried, and the frame is kept even when the loss raises on it (that is
    ///     the error their training meets). Otherwise it is the one the file names, kept only when the loss
    ///     accepts it.
    ///   - ignoreIndexGivenBy: who gave it, as reports say it.
    static func infer(_ make: (TargetFormat, Layout) -> LossFunction, layout: Layout, layoutGiven: Bool,
                      classes: Int? = nil, ignoreIndex: Int? = nil, ignoreIndexGiven: Bool = false,
                      ignoreIndexGivenBy: String = "--ignore-index") -> TargetInference {
        let forced = ignoreIndexGiven ? ignoreIndex : nil
        let chosen = inferFormat(make, layout: layout, layoutGiven: layoutGiven, classes: classes, ignoreIndex: forced)
        guard case .classIndex(let count, nil) = chosen.format, let ignoreIndex else {
            if let forced, !chosen.format.isMultiClass {
                return TargetInference(format: chosen.format, layout: chosen.layout,
                                       reason: chosen.reason + "; ignore_index \(forced) (given by \(ignoreIndexGivenBy)) is not used: it needs class-index targets")
            }
            return chosen
        }
        let ignoring = TargetFormat.classIndex(classes: count, ignoreIndex: ignoreIndex)
        if let forced {
            return TargetInference(format: ignoring, layout: chosen.layout,
                                   reason: chosen.reason + "; ignore_index \(forced) (given by \(ignoreIndexGivenBy)): a frame of pixels carries it")
        }
        switch probe(make(ignoring, chosen.layout), ProbeRunner()) {
        case .consistent, .accepted:
            return TargetInference(format: ignoring, layout: chosen.layout,
                                   reason: chosen.reason + "; the file names ignore_index \(ignoreIndex), so a frame of pixels carries it")
        case .softmaxOverOneChannel, .rejected, .notFinite, .classSum, .classLabels: return chosen
        }
    }

    /// The format without an ignored frame; `ignoreIndex` (given by the user) limits the candidates to class
    /// indices of a count the label does not collide with.
    private static func inferFormat(_ make: (TargetFormat, Layout) -> LossFunction, layout: Layout, layoutGiven: Bool,
                                    classes: Int?, ignoreIndex: Int?) -> TargetInference {
        let runner = ProbeRunner()
        let binaryLoss = make(.binary, layout)
        let binary = probe(binaryLoss, runner)
        let reason: String
        // A non-finite value on the one-channel probe is weak evidence: a multi-class loss slicing the background
        // away (`y[..., 1:]` leaves nothing to average), or a binary loss with a NaN defect. Only a consistent
        // multi-class probe overrides it.
        var consistentOnly = false
        switch binary {
        case .consistent where isNamedCategorical(binaryLoss.name), .accepted where isNamedCategorical(binaryLoss.name):
            // Keras's word for one-hot targets over several classes: a categorical focal loss `-y (1 - p)^γ log p`
            // runs on one channel too, where it ignores every negative pixel, a defect it does not have on C classes.
            reason = "the loss is named categorical (Keras's word for one-hot targets over several classes)"
            consistentOnly = true
        case .consistent, .accepted:
            return TargetInference(format: .binary, layout: layout, reason: "inferred: the loss takes a one-channel mask")
        case .classLabels:
            // Perfect no better than uniform on one channel, and the target compared with a class number: a multi-class
            // loss that reads the one channel as class 0 (`labels == c` against `probas[:, c]`, Lovasz-softmax's
            // signature), unless no multi-class probe is consistent (then a binary loss with a defect).
            reason = "the loss compares the target with a class number, and the one-channel probe scores the perfect prediction no better than uniform"
            consistentOnly = true
        case .notFinite:
            reason = "the one-channel probe gives a non-finite loss"
            consistentOnly = true
        case .classSum:
            reason = "the loss sums per-pixel terms over the one channel, as a categorical cross-entropy sums its classes"
            consistentOnly = true
        case .softmaxOverOneChannel: reason = "a softmax over the channel axis of a one-channel probe is constant"
        case .rejected(let message): reason = "the one-channel probe raised (\(message))"
        }
        let counts = (classes.map { [$0] } ?? [TargetFormat.defaultClasses, 4, 5, 2]).filter { count in
            ignoreIndex.map { !(0..<count).contains($0) } ?? true  // a label that is a class is not ignored
        }
        let formats: (Int) -> [TargetFormat] = { count in
            ignoreIndex == nil ? [.oneHot(classes: count), .classIndex(classes: count, ignoreIndex: nil), .labelMap(classes: count)] : [.classIndex(classes: count, ignoreIndex: nil)]
        }
        let layouts = layoutGiven ? [layout] : [layout, layout == .channelsLast ? .channelsFirst : .channelsLast]
        var firstAccepted: (TargetFormat, Layout)? = nil
        // A loss named categorical whose one-hot probe is not finite only where a perfect prediction holds zeros (an
        // unguarded `log`): still the task its name states; the defect is reported there.
        let categoricalDefect = isNamedCategorical(binaryLoss.name)
        var firstNotFinite: (TargetFormat, Layout)? = nil
        for count in counts {
            for candidateLayout in layouts {
                for format in formats(count) {
                    switch probe(make(format, candidateLayout), runner) {
                    case .consistent:
                        return TargetInference(format: format, layout: candidateLayout,
                                               reason: "inferred: \(reason); the \(format.summary) \(candidateLayout.rawValue) probe is consistent")
                    case .accepted: if firstAccepted == nil && !consistentOnly { firstAccepted = (format, candidateLayout) }
                    case .notFinite: if firstNotFinite == nil && categoricalDefect, case .oneHot = format { firstNotFinite = (format, candidateLayout) }
                    case .softmaxOverOneChannel, .rejected, .classSum, .classLabels: break
                    }
                }
            }
        }
        if let (format, chosen) = firstAccepted {
            return TargetInference(format: format, layout: chosen,
                                   reason: "inferred: \(reason); the loss accepts the \(format.summary) \(chosen.rawValue) probe")
        }
        if let (format, chosen) = firstNotFinite {
            return TargetInference(format: format, layout: chosen,
                                   reason: "inferred: the loss is named categorical (Keras's word for one-hot targets over several classes); the \(format.summary) \(chosen.rawValue) probe runs, not finite on a perfect prediction")
        }
        if consistentOnly {
            return TargetInference(format: .binary, layout: layout, reason: "inferred: the loss takes a one-channel mask")
        }
        if case .rejected = binary {
            // No multi-class probe fits either: a binary loss that wants its mask without the channel axis
            // (kornia's Lovasz hinge checks for `(B, H, W)`).
            switch probe(make(.binaryWithoutChannel, layout), runner) {
            case .consistent, .accepted, .classLabels:
                return TargetInference(format: .binaryWithoutChannel, layout: layout,
                                       reason: "inferred: \(reason), and no multi-class probe fits; the loss takes a mask without a channel axis")
            case .softmaxOverOneChannel, .rejected, .notFinite, .classSum: break
            }
        }
        if case .rejected(let message) = binary, integerIndexErrors.contains(where: message.contains), let count = counts.first {
            // The loss indexes with its target (`gather`, `one_hot`): it takes class indices, and what they raise
            // (smp's SoftCrossEntropyLoss() divides its default smooth_factor=None) is the error to report.
            return TargetInference(format: .classIndex(classes: count, ignoreIndex: nil), layout: layout,
                                   reason: "inferred: \(reason), so the loss takes class indices, and no multi-class probe runs: probed with class indices",
                                   fits: false, failure: reason)
        }
        return TargetInference(format: .binary, layout: layout,
                               reason: "inferred: \(reason), and no multi-class probe fits: probed as binary", fits: false, failure: reason)
    }

    /// What the framework raises when a float mask is used as an index (torch 2.13's `gather` and `one_hot`,
    /// as `ReorderingAPI` and `TorchAPI` raise them).
    static let integerIndexErrors = ["Expected dtype int64 for index", "one_hot is only applicable to index tensor"]

    private enum Verdict {
        case consistent, accepted, softmaxOverOneChannel, notFinite, classSum
        /// A binary probe on which perfect is no better than uniform, of a loss comparing its target with a class number.
        case classLabels
        case rejected(String)
    }

    /// Calls the loss on the balanced mask: random (to see its graph), perfect and uniform predictions.
    private static func probe(_ loss: LossFunction, _ runner: ProbeRunner) -> Verdict {
        let mask = runner.geometry.mask(.balanced)
        func run(_ kind: PredictionKind) throws -> ProbeRunner.Run {
            try runner.evaluate(loss, target: mask, shape: runner.geometry.shape,
                                probabilities: runner.probabilities(kind, mask, salt: .balanced, format: loss.target))
        }
        let random: ProbeRunner.Run
        do { random = try run(.random) } catch {
            let failure = ProbeRunner.failure(error, probe: "")
            // A construct LossDoctor cannot evaluate (LD901-LD903) says nothing about the target's format:
            // report it on the binary probe instead of trying multi-class targets that skip past it.
            if failure.kind != .pythonError { return .accepted }
            return .rejected(failure.message)
        }
        let extents = GraphScan.softmaxExtents(of: random.output)
        if extents.contains(1) { return .softmaxOverOneChannel }
        if !loss.target.isMultiClass {
            guard random.output.scalars.allSatisfy(\.isFinite) else { return .notFinite }
            let facts = GraphScan(target: random.target, prediction: random.prediction, probe: .probe(.balanced, .random)).facts(of: random.output)
            if facts.contains(where: { $0.kind == .sumOverOneChannel }) { return .classSum }
        } else if extents.contains(where: { $0 != loss.target.classes }) {
            return .rejected("a softmax over an axis that is not the class axis")
        }
        guard let perfect = try? run(.perfect).output.scalars[0], let uniform = try? run(.uniform).output.scalars[0],
              perfect.isFinite, uniform.isFinite else { return loss.target.isMultiClass ? .notFinite : .accepted }
        if perfect < uniform { return .consistent }
        return !loss.target.isMultiClass && comparesWithClassNumber(random) ? .classLabels : .accepted
    }

    /// Whether a loss's name says categorical (`CategoricalFocalLoss`, `categorical_focal_loss`).
    static func isNamedCategorical(_ name: String) -> Bool {
        name.lowercased().contains("categorical")
    }

    /// Whether the loss compares its target, reshaped or cast at most, with a number for equality (`labels == c`,
    /// `labels.view(-1) == c`, `tf.equal(y, k)`).
    private static func comparesWithClassNumber(_ run: ProbeRunner.Run) -> Bool {
        // Through layout-only ops and any cast (`labels.long()` too).
        func isTarget(_ tensor: Tensor) -> Bool {
            var current = tensor
            for _ in 0..<8 {
                if current === run.target { return true }
                guard let node = current.node, node.inputs.count == 1 else { return false }
                if case .cast = node.op {} else if !GraphScan.isLayoutOnly(node.op) { return false }
                current = node.inputs[0]
            }
            return false
        }
        return run.output.topologicalOrder().contains { tensor in
            guard let node = tensor.node, case .compare(.equal) = node.op, node.inputs.count == 2 else { return false }
            return node.inputs.contains(where: isTarget) && node.inputs.contains { $0.count == 1 }
        }
    }
}
