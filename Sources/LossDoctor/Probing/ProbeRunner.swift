/// Runs a loss on the probe table and gathers the `Evidence` the rules judge.
public struct ProbeRunner: Sendable {
    var geometry = ProbeGeometry()
    /// Points per sweep, endpoints included.
    public var sweepSteps = 65

    /// The probe table the CLI uses.
    public init() {}

    /// The sweeps: straight paths in probability space, checked for direction and steps.
    static let sweepTable: [SweepID] = [
        SweepID(from: .perfect, to: .inverted, mask: .balanced),
        SweepID(from: .allBackground, to: .perfect, mask: .imbalanced),
    ]

    /// Probes whose additive terms are differentiated one by one (for `dead-term`).
    static let termProbes: [(MaskKind, PredictionKind)] = [(.imbalanced, .random), (.balanced, .soft)]

    /// Probes every rule reads, then the sweeps, the scale probes and the per-term gradients.
    func run(_ loss: LossFunction) -> Evidence {
        var observations: [Observation] = []
        var failures: [ProbeFailure] = []
        var facts: [GraphFact] = []
        var terms: [TermObservation] = []
        let masks = Dictionary(uniqueKeysWithValues: MaskKind.allCases.map { ($0, geometry.mask($0)) })

        for mask in MaskKind.allCases {
            for prediction in PredictionKind.allCases {
                let probe = ProbeID.probe(mask, prediction)
                do {
                    let run = try evaluate(loss, target: masks[mask]!, shape: geometry.shape,
                                           probabilities: probabilities(prediction, masks[mask]!, salt: mask, format: loss.target))
                    let gradient = run.output.gradient(withRespectTo: run.prediction)
                    let value = run.output.scalars[0]
                    observations.append(Observation(
                        mask: mask, prediction: prediction, value: value, outputShape: run.rawShape,
                        gradient: GradientState(gradient),
                        firstNonFiniteOp: value.isFinite ? nil : run.output.firstNonFiniteOp()))
                    facts += GraphScan(target: run.target, prediction: run.prediction, probe: probe).facts(of: run.output)
                    if Self.termProbes.contains(where: { $0 == (mask, prediction) }) {
                        terms += termObservations(run, probe: probe)
                    }
                } catch {
                    failures.append(Self.failure(error, probe: probe.description))
                }
            }
        }

        // A sweep or scale probe that raises is left out (the table's probes report what the loss raises); one that
        // hits a resource limit (the time or memory budget) is reported, so that rules it silences are not silently
        // missing: under load, a cut sweep once turned a piecewise-constant clDice into "no defects found".
        func noteLimit(_ error: any Error, probe: String) {
            let failure = Self.failure(error, probe: probe)
            guard failure.kind == .limit,
                  !failures.contains(where: { $0.kind == failure.kind && $0.message == failure.message }) else { return }
            failures.append(failure)
        }
        let sweeps = Self.sweepTable.compactMap { entry -> Sweep? in
            let target = masks[entry.mask]!
            let from = probabilities(entry.from, target, salt: entry.mask, format: loss.target)
            let to = probabilities(entry.to, target, salt: entry.mask, format: loss.target)
            let id = entry.description
            var values: [Float] = []
            for step in 0..<sweepSteps {
                let t = Float(step) / Float(sweepSteps - 1)
                let p = zip(from, to).map { (1 - t) * $0 + t * $1 }
                do {
                    values.append(try evaluate(loss, target: target, shape: geometry.shape, probabilities: p).output.scalars[0])
                } catch {
                    noteLimit(error, probe: id)
                    return nil
                }
            }
            return Sweep(id: id, mask: entry.mask, from: entry.from, to: entry.to, values: values)
        }
        var scale: ScaleEvidence?
        do { scale = try scaleEvidence(loss, masks: masks) } catch { noteLimit(error, probe: "scale") }
        let classes = loss.target.isMultiClass ? classEvidence(loss, masks: masks) { noteLimit($0, probe: ProbeID.probe(.imbalanced, .perfect).description) } : nil

        // A pattern seen on several probes is one fact, on the first.
        struct Pattern: Hashable { let kind: GraphFact.Kind, op: OpSite, detail: String }
        var seen = Set<Pattern>()
        let uniqueFacts = facts.filter { fact in
            seen.insert(Pattern(kind: fact.kind, op: fact.op, detail: fact.detail)).inserted
        }
        var evidence = Evidence(lossName: loss.name, domain: loss.domain, layout: loss.layout, observations: observations,
                                sweeps: sweeps, scale: scale, terms: terms,
                                graphFacts: uniqueFacts, failures: failures)
        evidence.target = loss.target
        evidence.shape = loss.source?.shape ?? .images
        evidence.classes = classes
        return evidence
    }

    /// Foreground probabilities of `prediction` for a mask (the generator is salted per mask); for a
    /// multi-class format, `C` class probabilities per pixel, channels-last.
    func probabilities(_ prediction: PredictionKind, _ mask: [Float], salt: MaskKind, format: TargetFormat = .binary) -> [Float] {
        var generator = SeededGenerator(seed: geometry.seed &+ 1000 &+ UInt64(MaskKind.allCases.firstIndex(of: salt)!))
        guard format.isMultiClass else { return mask.map { prediction.probability(target: $0, &generator) } }
        let (h, w, c) = (geometry.height, geometry.width, format.classes)
        let classes = format.classMap(mask, height: h, width: w)
        var values: [Float] = []
        values.reserveCapacity(mask.count * c)
        for i in mask.indices {
            let pixel = i % (h * w)
            let object = TargetFormat.objectClass(y: pixel / w, x: pixel % w, height: h, width: w, classes: c)
            values += prediction.distribution(target: classes[i], object: object, classes: c, &generator)
        }
        return values
    }

    /// One evaluation: the loss reduced to a scalar, with the tensors of its graph.
    struct Run {
        let target: Tensor
        let prediction: Tensor
        let raw: Tensor
        let output: Tensor
        var rawShape: [Int] { raw.shape }
    }

    /// Evaluates the loss on a binary mask `shape` `(N, H, W, 1)` and a channels-last prediction, converting
    /// the mask to the loss's target format and both to its layout and domain.
    func evaluate(_ loss: LossFunction, target: [Float], shape: [Int], probabilities: [Float]) throws -> Run {
        let (targetTensor, predictionTensor) = try Self.arrays(format: loss.target, domain: loss.domain, layout: loss.layout,
                                                               target: target, shape: shape, probabilities: probabilities)
        let raw = try loss.evaluate(targetTensor, predictionTensor)
        let output = raw.count == 1 ? raw : try raw.mean()
        return Run(target: targetTensor, prediction: predictionTensor, raw: raw, output: output)
    }

    /// The target and prediction a loss receives for a binary mask `shape` `(N, H, W, 1)` and channels-last
    /// probabilities: the mask in `format`, both in `layout`, the prediction in `domain` (a variable). The probe
    /// export writes these same arrays, so the numbers of a check can be recomputed in any framework.
    static func arrays(format: TargetFormat, domain: InputDomain, layout: Layout, target: [Float], shape: [Int],
                       probabilities: [Float]) throws -> (target: Tensor, prediction: Tensor) {
        let (n, h, w) = (shape[0], shape[1], shape[2])
        var predictionShape = [n, h, w, format.classes]
        var predictionValues = format.isMultiClass ? probabilities.map(domain.encodeClass) : probabilities.map(domain.encode)
        var targetShape = shape
        var targetValues = target
        var targetType = DType.float32
        switch format {
        case .binary: break
        case .binaryWithoutChannel: targetShape = [n, h, w]
        case .oneHot(let classes):
            targetShape = [n, h, w, classes]
            targetValues = format.classMap(target, height: h, width: w).flatMap { k in (0..<classes).map { $0 == k ? 1 : 0 } }
        case .labelMap:
            targetShape = [n, h, w, 1]
            targetType = .int64
            targetValues = format.classMap(target, height: h, width: w).map(Float.init)
        case .classIndex(_, let ignoreIndex):
            targetShape = [n, h, w]
            targetType = .int64
            targetValues = format.classMap(target, height: h, width: w).enumerated().map { i, k in
                let pixel = i % (h * w)
                if let ignoreIndex, TargetFormat.isIgnored(y: pixel / w, x: pixel % w, height: h, width: w) { return Float(ignoreIndex) }
                return Float(k)
            }
        }
        if layout == .channelsFirst {
            predictionValues = try Tensor(shape: predictionShape, scalars: predictionValues).transposed([0, 3, 1, 2]).scalars
            predictionShape = [n, predictionShape[3], h, w]
            if targetShape.count == 4 {
                targetValues = try Tensor(shape: targetShape, scalars: targetValues).transposed([0, 3, 1, 2]).scalars
                targetShape = [n, targetShape[3], h, w]
            }
        }
        return (Tensor(shape: targetShape, scalars: targetValues, dtype: targetType),
                Tensor.variable(shape: predictionShape, scalars: predictionValues))
    }

    /// Splits the loss into its additive terms and differentiates each alone.
    private func termObservations(_ run: Run, probe: ProbeID) -> [TermObservation] {
        let terms = Self.additiveTerms(of: run.raw).filter(\.dependsOnVariable)
        guard terms.count > 1 else { return [] }
        return terms.enumerated().map { index, term in
            let gradient = term.gradient(withRespectTo: run.prediction)
            return TermObservation(index: index + 1, op: term.node.map { OpSite($0.op, site: $0.site) }, probe: probe,
                                   gradient: GradientState(gradient), value: term.scalars.count == 1 ? term.scalars[0] : .nan)
        }
    }

    /// The terms of a sum: looks through `+`, `-`, negation, scaling by constants and means of sums.
    /// Walks with a stack of its own, left term first: a user's sum of 100 000 terms is no deep recursion.
    static func additiveTerms(of tensor: Tensor) -> [Tensor] {
        var terms: [Tensor] = []
        var pending = [tensor]
        while let current = pending.popLast() {
            guard let node = current.node else { terms.append(current); continue }
            switch node.op {
            case .add, .subtract:
                pending += [node.inputs[1], node.inputs[0]]
            case .negate:
                pending.append(node.inputs[0])
            case .multiply, .divide:
                let (a, b) = (node.inputs[0], node.inputs[1])
                if !b.dependsOnVariable && b.count == 1 { pending.append(a) }
                else if case .multiply = node.op, !a.dependsOnVariable && a.count == 1 { pending.append(b) }
                else { terms.append(current) }
            default:
                terms.append(current)
            }
        }
        return terms
    }

    /// The scale probes, on a random prediction.
    private func scaleEvidence(_ loss: LossFunction, masks: [MaskKind: [Float]]) throws -> ScaleEvidence {
        let mask = masks[.imbalanced]!
        let p = probabilities(.random, mask, salt: .imbalanced, format: loss.target)
        let channels = loss.target.classes
        func sample(_ target: [Float], _ shape: [Int], _ prediction: [Float]) throws -> ScaleSample {
            let run = try evaluate(loss, target: target, shape: shape, probabilities: prediction)
            return ScaleSample(value: run.output.scalars[0], mass: GradientState(run.output.gradient(withRespectTo: run.prediction)).mass)
        }
        let shape = geometry.shape
        let base = try sample(mask, shape, p)
        let doubled = try sample(mask + mask, [shape[0] * 2] + shape.dropFirst(), p + p)
        let up = try sample(Self.upsample(mask, shape), [shape[0], shape[1] * 2, shape[2] * 2, 1],
                            Self.upsample(p, shape, channels: channels))

        let pooledMask = masks[.mixed]!
        let soft = probabilities(.soft, pooledMask, salt: .mixed, format: loss.target)
        let batchValue = try evaluate(loss, target: pooledMask, shape: shape, probabilities: soft).output.scalars[0]
        let per = shape[1] * shape[2] * shape[3]
        let perSample = try (0..<shape[0]).map { s in
            try evaluate(loss, target: Array(pooledMask[(s * per)..<((s + 1) * per)]), shape: [1] + shape.dropFirst(),
                         probabilities: Array(soft[(s * per * channels)..<((s + 1) * per * channels)])).output.scalars[0]
        }
        return ScaleEvidence(probe: VariantProbeID.doubledBatch.base, base: base, doubledBatch: doubled, upsampled: up,
                             poolingProbe: VariantProbeID.sample(0).base, batchValue: batchValue, perSampleValues: perSample)
    }

    /// Nearest-neighbour 2x upsampling of a channels-last batch of `channels` channels.
    static func upsample(_ values: [Float], _ shape: [Int], channels: Int = 1) -> [Float] {
        let (n, h, w, c) = (shape[0], shape[1], shape[2], channels)
        var out = [Float](repeating: 0, count: n * h * w * 4 * c)
        for s in 0..<n { for y in 0..<(2 * h) { for x in 0..<(2 * w) { for k in 0..<c {
            out[((s * 2 * h + y) * 2 * w + x) * c + k] = values[((s * h + y / 2) * w + x / 2) * c + k]
        } } } }
        return out
    }

    /// The per-class probes of a multi-class loss, on the imbalanced mask: the perfect prediction with one
    /// object class predicted as background, and (with an `ignore_index`) with the ignored frame predicted wrong.
    /// The per-class probes; a probe that raises gives NaN, and `failed` hears why.
    private func classEvidence(_ loss: LossFunction, masks: [MaskKind: [Float]], failed: (any Error) -> Void) -> ClassEvidence {
        let mask = masks[.imbalanced]!
        let predictions = classPredictions(loss.target)
        func run(_ p: [Float]) -> Run? {
            do { return try evaluate(loss, target: mask, shape: geometry.shape, probabilities: p) } catch {
                failed(error)
                return nil
            }
        }
        func value(_ run: Run?) -> Float { run?.output.scalars[0] ?? .nan }
        // Each per-class run serves the whole loss's value and its overlap term's.
        let perfectRun = run(predictions.perfect)
        let missingRuns = predictions.missing.map(run)
        let perfect = value(perfectRun)
        var evidence = ClassEvidence(probe: .probe(.imbalanced, .perfect), perfect: perfect, missingClass: missingRuns.map(value),
                                     ignoredChange: predictions.ignoredWrong.map { Swift.abs(value(run($0)) - perfect) })
        evidence.overlapTerms = overlapTerms(loss, mask: mask, perfect: perfectRun, missing: missingRuns)
        return evidence
    }

    /// The additive term that forms an overlap ratio, when it is the only one of several, on the perfect, uniform,
    /// all-background and missing-class predictions. Terms are matched by position: the same code makes the same sum
    /// on every probe.
    private func overlapTerms(_ loss: LossFunction, mask: [Float], perfect: Run?, missing: [Run?]) -> [ClassEvidence.OverlapTerm] {
        let others = [PredictionKind.uniform, .allBackground].map {
            try? evaluate(loss, target: mask, shape: geometry.shape, probabilities: probabilities($0, mask, salt: .imbalanced, format: loss.target))
        }
        var table: [[Tensor]] = []
        var ratioTerms: [Int] = []
        for candidate in [perfect] + others + missing {
            guard let run = candidate else { return [] }
            let terms = Self.additiveTerms(of: run.raw).filter(\.dependsOnVariable)
            guard terms.count > 1, table.last.map({ $0.count == terms.count }) ?? true else { return [] }
            if table.isEmpty {
                let scan = GraphScan(target: run.target, prediction: run.prediction, probe: .probe(.imbalanced, .perfect))
                ratioTerms = terms.indices.filter { scan.facts(of: terms[$0]).contains { $0.kind == .overlapRatio } }
                // One overlap term beside others (Dice + CE). Several are a per-class loop (`for c in range(C)`), whose
                // background term alone looks pooled and is not.
                if ratioTerms.count != 1 { return [] }
            }
            table.append(terms)
        }
        return ratioTerms.compactMap { index -> ClassEvidence.OverlapTerm? in
            let values = table.map { $0[index].scalars.count == 1 ? $0[index].scalars[0] : .nan }
            guard values.allSatisfy(\.isFinite) else { return nil }
            return ClassEvidence.OverlapTerm(op: table[0][index].node.map { OpSite($0.op, site: $0.site) },
                                             perfect: values[0], uniform: values[1], allBackground: values[2], missingClass: Array(values[3...]))
        }
    }

    /// The predictions of the per-class probes on the imbalanced mask, channels-last probabilities: the perfect
    /// one, one per object class predicted as background, and the ignored frame predicted wrong (class-index
    /// targets with an `ignore_index` only).
    func classPredictions(_ format: TargetFormat) -> (perfect: [Float], missing: [[Float]], ignoredWrong: [Float]?) {
        let mask = geometry.mask(.imbalanced)
        let (h, w, c) = (geometry.height, geometry.width, format.classes)
        let classes = format.classMap(mask, height: h, width: w)
        let perfect = probabilities(.perfect, mask, salt: .imbalanced, format: format)
        let missing = (1..<Swift.max(1, c)).map { object -> [Float] in
            var p = perfect
            for i in classes.indices where classes[i] == object {
                for k in 0..<c { p[i * c + k] = k == 0 ? 1 : 0 }
            }
            return p
        }
        var ignoredWrong: [Float]? = nil
        if case .classIndex(_, .some) = format {
            var p = perfect
            for i in classes.indices {
                let pixel = i % (h * w)
                guard TargetFormat.isIgnored(y: pixel / w, x: pixel % w, height: h, width: w) else { continue }
                let wrong = classes[i] == 0 ? 1 : 0
                for k in 0..<c { p[i * c + k] = k == wrong ? 1 : 0 }
            }
            ignoredWrong = p
        }
        return (perfect, missing, ignoredWrong)
    }

    static func failure(_ error: any Error, probe: String) -> ProbeFailure {
        if let error = error as? InterpreterError {
            return ProbeFailure(probe: probe, message: error.message, site: error.site, kind: error.kind, hint: error.hint)
        }
        if let located = error as? any LocatedError {
            return ProbeFailure(probe: probe, message: located.message, site: located.site, kind: .pythonError, hint: nil)
        }
        return ProbeFailure(probe: probe, message: "\(error)", site: nil, kind: .pythonError, hint: nil)
    }
}
