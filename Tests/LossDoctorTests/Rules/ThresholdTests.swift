import Testing
@testable import LossDoctor

/// Each rule's thresholds, pinned: every test gives a rule evidence just on either side of one threshold and
/// expects it to fire on one side only, so moving the threshold (by a fifth either way) fails a test. The
/// evidence holds only the probes the rule reads; the other thresholds of the rule are far from their values.
/// The literals below are the thresholds' values on purpose: a test computing them from the constant would
/// move with it.
@Suite("Rule thresholds")
struct ThresholdTests {
    /// One probe's value and gradient (healthy, of norm `norm`, unless `state` says otherwise).
    static func observation(_ mask: MaskKind, _ prediction: PredictionKind, _ value: Float = 0, norm: Double = 1,
                            _ state: GradientResult.State = .healthy) -> Observation {
        let gradient = GradientResult(state: state, values: [Float(norm)], norm: norm, cuts: [], zeroing: [], firstNonFinite: nil)
        return Observation(mask: mask, prediction: prediction, value: value, outputShape: [], gradient: GradientState(gradient),
                           firstNonFiniteOp: nil)
    }

    /// Evidence made of these probes alone.
    static func evidence(_ observations: [Observation], sweeps: [Sweep] = [], domain: InputDomain = .probabilities,
                         target: TargetFormat = .binary, scale: ScaleEvidence? = nil, graphFacts: [GraphFact] = [],
                         name: String = "boundary") -> Evidence {
        var evidence = Evidence(lossName: name, domain: domain, layout: .channelsLast, observations: observations, sweeps: sweeps,
                                scale: scale, terms: [], graphFacts: graphFacts, failures: [])
        evidence.target = target
        return evidence
    }

    // MARK: LD105 piecewise-constant

    @Test("LD105: a sweep of 8 distinct values is a staircase, one of 9 is not", arguments: [(8, true), (9, false)])
    func piecewiseConstantDistinctValues(distinct: Int, fires: Bool) {
        // 65 steps on `distinct` levels: 0, 0, ..., 1, 1, ..., distinct - 1.
        let values = (0..<65).map { Float($0 * distinct / 65) }
        let sweep = Sweep(id: "perfect->inverted@balanced", mask: .balanced, from: .perfect, to: .inverted, values: values)
        #expect(Set(values).count == distinct)
        #expect(PiecewiseConstantRule().check(Self.evidence([], sweeps: [sweep])).count == (fires ? 1 : 0))
    }

    // MARK: LD106 vanishing-gradient

    @Test("LD106: a confident/mild gradient-norm ratio of 0.099 vanishes, 0.101 does not", arguments: [(0.099, true), (0.101, false)])
    func vanishingGradientRatio(ratio: Double, fires: Bool) {
        let evidence = Self.evidence([Self.observation(.balanced, .confidentlyWrong, norm: ratio),
                                      Self.observation(.balanced, .mildlyWrong, norm: 1)])
        #expect(VanishingGradientRule().check(evidence).count == (fires ? 1 : 0))
    }

    /// On logits, with no overlap ratio in the graph and nothing known of the imbalanced mask, the balanced
    /// mask's miss share alone decides whether the loss is an overlap loss (info) or not (warning).
    @Test("LD106: missing the balanced foreground at 81 % of the span is an overlap loss (info), at 79 % not (warning)",
          arguments: [(Float(0.81), Severity.info), (0.79, .warning)])
    func vanishingGradientOverlapShare(share: Float, severity: Severity) {
        let evidence = Self.evidence([
            Self.observation(.balanced, .confidentlyWrong, norm: 0.01), Self.observation(.balanced, .mildlyWrong, norm: 1),
            Self.observation(.balanced, .perfect, 0), Self.observation(.balanced, .inverted, 1),
            Self.observation(.balanced, .allBackground, share),
        ], domain: .logits)
        #expect(VanishingGradientRule().check(evidence).map(\.severity) == [severity])
    }

    // MARK: LD303 empty-target-penalized

    @Test("LD303: the empty prediction on an empty target costing 91 % of the way to the worst probe is penalised, 89 % not",
          arguments: [(Float(0.91), true), (0.89, false)])
    func emptyTargetWorstShare(perfect: Float, fires: Bool) {
        let evidence = Self.evidence([Self.observation(.empty, .perfect, perfect), Self.observation(.empty, .uniform, 0),
                                      Self.observation(.empty, .allForeground, 1)])
        #expect(EmptyTargetPenalizedRule().check(evidence).count == (fires ? 1 : 0))
    }

    @Test("LD303: an empty prediction that is the worst probe is penalised when it costs 0.00101, not 0.00099",
          arguments: [(Float(0.00101), true), (0.00099, false)])
    func emptyTargetMinimumCost(perfect: Float, fires: Bool) {
        let evidence = Self.evidence([Self.observation(.empty, .perfect, perfect), Self.observation(.empty, .uniform, 0),
                                      Self.observation(.empty, .allForeground, perfect / 2)])
        #expect(EmptyTargetPenalizedRule().check(evidence).count == (fires ? 1 : 0))
    }

    /// Multi-class: the balanced mask's perfect value is 0 and the empty mask's worst 1, so the empty perfect
    /// value is its share of the way; the binary test (90 % of the empty mask's own range) does not apply.
    @Test("LD303 multi-class: the empty prediction costing 51 % of the way from the balanced perfect value to the worst is penalised, 49 % not",
          arguments: [(Float(0.51), true), (0.49, false)])
    func emptyTargetMultiClassShare(perfect: Float, fires: Bool) {
        let evidence = Self.evidence([Self.observation(.balanced, .perfect, 0), Self.observation(.empty, .perfect, perfect),
                                      Self.observation(.empty, .allForeground, 1)], target: .oneHot(classes: 3))
        #expect(EmptyTargetPenalizedRule().check(evidence).count == (fires ? 1 : 0))
    }

    @Test("LD303: all foreground on an empty target within 0.99e-6 of the empty prediction, with no gradient, costs nothing; 1.01e-6 is a cost",
          arguments: [(Float(0.99e-6), true), (1.01e-6, false)])
    func emptyTargetFalsePositiveTie(difference: Float, fires: Bool) {
        let evidence = Self.evidence([Self.observation(.empty, .perfect, 0),
                                      Self.observation(.empty, .allForeground, difference, norm: 0, .zero)])
        #expect(EmptyTargetPenalizedRule().check(evidence).count == (fires ? 1 : 0))
    }

    // MARK: LD304 trivial-solution

    @Test("LD304: all background 9.9 % of the way from perfect to uniform is a trivial solution, 10.1 % not",
          arguments: [(Float(0.099), true), (0.101, false)])
    func trivialSolutionShare(nothing: Float, fires: Bool) {
        let evidence = Self.evidence([Self.observation(.imbalanced, .perfect, 0), Self.observation(.imbalanced, .allBackground, nothing),
                                      Self.observation(.imbalanced, .uniform, 1)])
        #expect(TrivialSolutionRule().check(evidence).count == (fires ? 1 : 0))
    }

    @Test("LD304: a loss whose uniform prediction costs 1.01e-6 more than the perfect one is judged, 0.99e-6 is too flat to",
          arguments: [(Float(1.01e-6), true), (0.99e-6, false)])
    func trivialSolutionFlatLoss(uniform: Float, fires: Bool) {
        let evidence = Self.evidence([Self.observation(.imbalanced, .perfect, 0), Self.observation(.imbalanced, .allBackground, 0),
                                      Self.observation(.imbalanced, .uniform, uniform)])
        #expect(TrivialSolutionRule().check(evidence).count == (fires ? 1 : 0))
    }

    // MARK: LD404 smoothing-dominates

    /// Miss shares (all background minus perfect, over inverted minus perfect) on the imbalanced and tiny masks.
    static func missShares(imbalanced: Float, tiny: Float, target: TargetFormat = .binary) -> Evidence {
        evidence([MaskKind.imbalanced, .tiny].flatMap { mask in
            [observation(mask, .perfect, 0), observation(mask, .inverted, 1),
             observation(mask, .allBackground, mask == .tiny ? tiny : imbalanced)]
        }, target: target)
    }

    @Test("LD404: a loss missing the imbalanced foreground at 15.1 % of its span is an overlap loss, at 14.9 % not",
          arguments: [(Float(0.151), true), (0.149, false)])
    func smoothingOverlapThreshold(imbalanced: Float, fires: Bool) {
        #expect(SmoothingDominatesRule().check(Self.missShares(imbalanced: imbalanced, tiny: 0)).count == (fires ? 1 : 0))
    }

    @Test("LD404: missing the tiny objects at 44 % of the span, against 90 % for the 8x8 ones, is swamped; 46 % is not",
          arguments: [(Float(0.44), true), (0.46, false)])
    func smoothingTinyShareAgainstLarge(tiny: Float, fires: Bool) {
        #expect(SmoothingDominatesRule().check(Self.missShares(imbalanced: 0.9, tiny: tiny)).count == (fires ? 1 : 0))
        #expect(SmoothingDominatesRule().check(Self.missShares(imbalanced: 0.9, tiny: tiny, target: .oneHot(classes: 3))).count == (fires ? 1 : 0))
    }

    /// A binary loss must also charge less than half of inverting the tiny mask; that decides only when missing
    /// the 8x8 objects costs more than inverting their mask (here 120 % of the span).
    @Test("LD404 binary: missing the tiny objects at 49 % of the span is swamped, 51 % is not, whatever the 8x8 objects cost",
          arguments: [(Float(0.49), true), (0.51, false)])
    func smoothingTinyShareOfSpan(tiny: Float, fires: Bool) {
        #expect(SmoothingDominatesRule().check(Self.missShares(imbalanced: 1.2, tiny: tiny)).count == (fires ? 1 : 0))
    }

    // MARK: LD312 classes-pooled, LD313 ignore-index-leak

    /// A 3-class overlap ratio on the imbalanced mask: perfect 0, uniform 1/C 1, all background and each missed
    /// class at the given shares of that way.
    static func pooled(allBackground: Float, missingClass: Float) -> Evidence {
        let ratio = GraphFact(kind: .overlapRatio, op: OpSite(.divide, site: nil), detail: "", probe: .probe(.imbalanced, .perfect))
        var evidence = Self.evidence([observation(.imbalanced, .perfect, 0), observation(.imbalanced, .uniform, 1),
                                 observation(.imbalanced, .allBackground, allBackground)], target: .oneHot(classes: 3), graphFacts: [ratio])
        evidence.classes = ClassEvidence(probe: .probe(.imbalanced, .perfect), perfect: 0, missingClass: [missingClass, missingClass / 2],
                                         ignoredChange: nil)
        return evidence
    }

    @Test("LD312: all background 9.9 % of the way from perfect to uniform 1/C is pooled, 10.1 % not",
          arguments: [(Float(0.099), true), (0.101, false)])
    func classesPooledAllBackground(share: Float, fires: Bool) {
        #expect(ClassesPooledRule().check(Self.pooled(allBackground: share, missingClass: 0.05)).count == (fires ? 1 : 0))
    }

    @Test("LD312: missing an object class 9.9 % of the way from perfect to uniform 1/C is pooled, 10.1 % not",
          arguments: [(Float(0.099), true), (0.101, false)])
    func classesPooledMissingClass(share: Float, fires: Bool) {
        #expect(ClassesPooledRule().check(Self.pooled(allBackground: 0.05, missingClass: share)).count == (fires ? 1 : 0))
    }

    @Test("LD313: ignored pixels moving the loss by 1.01e-4 of its range perfect->uniform leak, 0.99e-4 not",
          arguments: [(Float(1.01e-4), true), (0.99e-4, false)])
    func ignoreIndexLeak(change: Float, fires: Bool) {
        var evidence = Self.evidence([Self.observation(.imbalanced, .perfect, 0), Self.observation(.imbalanced, .uniform, 1)],
                                     target: .classIndex(classes: 3, ignoreIndex: 255))
        evidence.classes = ClassEvidence(probe: .probe(.imbalanced, .perfect), perfect: 0, missingClass: [], ignoredChange: change)
        #expect(IgnoreIndexLeakRule().check(evidence).count == (fires ? 1 : 0))
    }

    // MARK: LD401 batch-dependent-scale, LD402 resolution-dependent-scale, LD405 scale-vs-reference

    /// Scale probes of a loss worth 1 (gradient mass 1) at the base batch.
    static func scaled(doubled: Float = 1, mass: Double = 1, upsampled: Float = 1) -> Evidence {
        evidence([], scale: ScaleEvidence(probe: .probe(.imbalanced, .random), base: ScaleSample(value: 1, mass: 1),
                                          doubledBatch: ScaleSample(value: doubled, mass: mass), upsampled: ScaleSample(value: upsampled, mass: 1),
                                          poolingProbe: .probe(.imbalanced, .random), batchValue: 1, perSampleValues: [1]))
    }

    @Test("LD401: doubling the batch changing the loss or its gradient mass by 5.1 % is batch-dependent, 4.9 % not",
          arguments: [(5.1, true), (4.9, false), (-5.1, true), (-4.9, false)])
    func batchDependentScale(percent: Double, fires: Bool) {
        let factor = 1 + percent / 100
        #expect(BatchDependentScaleRule().check(Self.scaled(doubled: Float(factor))).count == (fires ? 1 : 0))
        #expect(BatchDependentScaleRule().check(Self.scaled(mass: factor)).count == (fires ? 1 : 0))
    }

    @Test("LD402: upsampling changing the loss by 26 % is resolution-dependent, 24 % not",
          arguments: [(Float(1.26), true), (1.24, false), (0.74, true), (0.76, false)])
    func resolutionDependentScale(ratio: Float, fires: Bool) {
        #expect(ResolutionDependentScaleRule().check(Self.scaled(upsampled: ratio)).count == (fires ? 1 : 0))
    }

    @Test("LD405: a span 2.02 times BCE's (or 1/2.02 of it) is a different scale, 1.98 times not",
          arguments: [(Float(2.02), true), (Float(1.98), false), (Float(1 / 2.02), true), (Float(1 / 1.98), false)])
    func scaleVsReference(factor: Float, fires: Bool) throws {
        let bce = try #require(ScaleVsReferenceRule.referenceValues.first { $0.name == "bce" }?.values)
        let bceSpan = try #require(bce[.inverted]) - bce[.perfect]!
        let evidence = Self.evidence([Self.observation(.imbalanced, .perfect, 0), Self.observation(.imbalanced, .inverted, factor * bceSpan)])
        #expect(ScaleVsReferenceRule().check(evidence).count == (fires ? 1 : 0))
    }

    // MARK: LD501-LD505, the simulated run

    /// A binary run (steps 0 through `budget`): validation Dice, validation loss (1 - Dice unless given),
    /// foreground predicted, and final accuracy against an all-background accuracy of 0.95.
    static func run(_ dice: [Double], loss: [Float]? = nil, foreground: [Double]? = nil, finalAccuracy: Double = 0.9) -> TrainingRun {
        var budget = TrainingBudget()
        budget.steps = dice.count - 1
        let points = dice.enumerated().map { step, d in
            TrainingPoint(step: step, trainLoss: loss?[step] ?? Float(1 - d), validationLoss: loss?[step] ?? Float(1 - d), dice: d, iou: d / 2,
                          accuracy: step == dice.count - 1 ? finalAccuracy : 0.9, predictedForeground: foreground?[step] ?? 0.05)
        }
        return TrainingRun(lossName: "boundary", format: .binary, budget: budget, points: points, foregroundFraction: 0.05,
                           allBackgroundAccuracy: 0.95, delivery: .healthy, firstNonFiniteStep: nil, failure: nil)
    }

    /// 31 Dice values: `early` at steps 0-4, `middle` from step 5 (where the baseline reaches 0.5) on, `final` at step 30.
    static func curve(early: (Int) -> Double = { Double($0) * 0.1 }, middle: Double, final: Double? = nil, reachesAt: Int = 5) -> [Double] {
        (0...30).map { step in step == 30 ? (final ?? middle) : step < reachesAt ? Swift.min(0.4, early(step)) : middle }
    }

    /// The run judged against a baseline that reaches Dice 0.5 at step 5 and ends (and peaks) at 0.8.
    static func simulated(_ run: TrainingRun) -> Evidence {
        let baseline = Self.run((0...run.budget.steps).map { Swift.min(0.8, Double($0) * 0.1) })
        var evidence = Self.evidence([])
        evidence.simulation = SimulationEvidence(run: run, references: [baseline], baseline: baseline, diceTarget: 0.5)
        return evidence
    }

    @Test("LD501: a validation loss within 0.99e-4 of its first value is stalled, 1.01e-4 away not",
          arguments: [(Float(0.99e-4), true), (1.01e-4, false)])
    func stalledLossTolerance(change: Float, fires: Bool) {
        let run = Self.run([Double](repeating: 0.1, count: 31), loss: (0...30).map { $0 == 20 ? 0.5 + change : 0.5 })
        #expect(StalledTrainingRule().check(Self.simulated(run)).count == (fires ? 1 : 0))
    }

    @Test("LD501: a validation Dice moving by 0.0099 is stalled, by 0.0101 not", arguments: [(0.0099, true), (0.0101, false)])
    func stalledDiceTolerance(change: Double, fires: Bool) {
        let run = Self.run((0...30).map { $0 == 20 ? 0.1 + change : 0.1 }, loss: [Float](repeating: 0.5, count: 31))
        #expect(StalledTrainingRule().check(Self.simulated(run)).count == (fires ? 1 : 0))
    }

    @Test("LD502: reaching Dice 0.5 at step 11, 2.2 times the baseline's 5 steps, is slow; at step 10 not",
          arguments: [(11, true), (10, false)])
    func slowStepsFactor(step: Int, fires: Bool) {
        let run = Self.run(Self.curve(early: { _ in 0.4 }, middle: 0.8, reachesAt: step))
        #expect(SlowTrainingRule().check(Self.simulated(run)).count == (fires ? 1 : 0))
    }

    @Test("LD502: ending 0.21 below the baseline's final Dice after falling 0.41 from the peak is slow, 0.19 below not",
          arguments: [(0.59, true), (0.61, false)])
    func slowDiceGap(final: Double, fires: Bool) {
        #expect(SlowTrainingRule().check(Self.simulated(Self.run(Self.curve(middle: 1, final: final)))).count == (fires ? 1 : 0))
    }

    @Test("LD502: falling 0.31 from the peak to a final Dice 0.3 below the baseline's is slow, falling 0.29 not",
          arguments: [(0.81, true), (0.79, false)])
    func slowFallFromPeak(peak: Double, fires: Bool) {
        #expect(SlowTrainingRule().check(Self.simulated(Self.run(Self.curve(middle: peak, final: 0.5)))).count == (fires ? 1 : 0))
    }

    @Test("LD502: a best Dice 0.11 below the baseline's best is slow, 0.09 below not", arguments: [(0.69, true), (0.71, false)])
    func slowPeakGap(best: Double, fires: Bool) {
        #expect(SlowTrainingRule().check(Self.simulated(Self.run(Self.curve(middle: best)))).count == (fires ? 1 : 0))
    }

    @Test("LD503: final accuracy 0.0099 below the all-background model's (0.95) is misleading, 0.0101 below not",
          arguments: [(0.9401, true), (0.9399, false)])
    func misleadingAccuracyMargin(accuracy: Double, fires: Bool) {
        let run = Self.run(Self.curve(middle: 0.3), finalAccuracy: accuracy)
        #expect(MisleadingAccuracyRule().check(Self.simulated(run)).count == (fires ? 1 : 0))
    }

    /// A 50-step run, where a tenth of the run is 5 evaluations (on 30 steps 3, which 2.4 or 3.75 would round to
    /// alike), predicting nothing for the last `evaluations`.
    @Test("LD504: predicting nothing for the last 5 evaluations of a 50-step run is a collapse, for the last 4 not",
          arguments: [(5, true), (4, false)])
    func collapseSettledFraction(evaluations: Int, fires: Bool) {
        let foreground = (0...50).map { $0 > 50 - evaluations ? 0 : 0.05 }
        let run = Self.run((0...50).map { $0 > 50 - evaluations ? 0 : 0.2 }, loss: (0...50).map { Float(50 - $0) }, foreground: foreground)
        #expect(CollapseToBackgroundRule().check(Self.simulated(run)).count == (fires ? 1 : 0))
    }

    @Test("LD505: ending at validation Dice 0.099 while predicting foreground fails to learn, at 0.101 not",
          arguments: [(0.099, true), (0.101, false)])
    func failsToLearnDiceFloor(final: Double, fires: Bool) {
        let run = Self.run(Self.curve(early: { _ in 0 }, middle: 0.05, final: final))
        #expect(FailsToLearnRule().check(Self.simulated(run)).count == (fires ? 1 : 0))
    }

    // MARK: LD310 reference-mismatch

    /// A loss named `name` whose value on each probe is `value(probe id)`, where it has one.
    static func probeTable(_ name: String, _ value: (String) -> Double?) -> Evidence {
        evidence(MaskKind.allCases.flatMap { mask in
            PredictionKind.allCases.compactMap { prediction in
                value(ProbeID.probe(mask, prediction).description).map { observation(mask, prediction, Float($0)) }
            }
        }, name: name)
    }

    /// A reference's (or a family-only form's) values on the probes.
    static func referenceValues(_ name: String) throws -> [String: Double] {
        try #require((ReferenceMismatchRule.referenceValues + ReferenceMismatchRule.variantValues).first { $0.name == name }).values
    }

    /// What LD310 weighs: the best fit outside the loss's family, and the family's best.
    static func weighed(_ evidence: Evidence) throws -> (other: ReferenceMismatchRule.Fit, own: ReferenceMismatchRule.Fit) {
        let members = Set(ReferenceMismatchRule.families(named: evidence.lossName).flatMap(\.references))
        let variants = Set(ReferenceMismatchRule.variantValues.map(\.name))
        let fits = ReferenceMismatchRule.fits(evidence)
        return (try #require(fits.first { !members.contains($0.reference) && !variants.contains($0.reference) }),
                try #require(fits.first { members.contains($0.reference) }))
    }

    /// BCE's values plus a vector orthogonal to the constant and to BCE's values, scaled so that the fit to BCE
    /// explains `explained` of the variance (R² = Sxx / (Sxx + t² |e|²)).
    @Test("LD310: an IoU-named loss whose values BCE explains to 99.1 % is called BCE, to 98.9 % not",
          arguments: [(0.991, true), (0.989, false)])
    func referenceMismatchExplainedShare(explained: Double, fires: Bool) throws {
        let bce = try Self.referenceValues("bce")
        let probes = bce.keys.filter { bce[$0]!.isFinite }.sorted()
        let x = probes.map { bce[$0]! }
        let n = Double(x.count)
        let centred = x.map { $0 - x.reduce(0, +) / n }
        let sxx = centred.reduce(0) { $0 + $1 * $1 }
        var e = probes.indices.map { Double($0 % 3) - 1 }
        let eMean = e.reduce(0, +) / n
        e = e.map { $0 - eMean }
        let along = zip(e, centred).reduce(0) { $0 + $1.0 * $1.1 } / sxx
        e = zip(e, centred).map { $0 - along * $1 }
        let t = (sxx * (1 / explained - 1) / e.reduce(0) { $0 + $1 * $1 }).squareRoot()
        let y = Dictionary(uniqueKeysWithValues: zip(probes, zip(x, e).map { $0 + t * $1 }))
        let evidence = Self.probeTable("iou_boundary") { y[$0] }
        let (other, own) = try Self.weighed(evidence)
        #expect(other.reference == "bce" && Swift.abs(other.explained - explained) < 2e-4)
        #expect(1 - own.explained > 0.2)  // IoU is far from explaining it: the other threshold does not decide
        #expect(ReferenceMismatchRule().check(evidence).count == (fires ? 1 : 0))
    }

    /// BCE's values plus s times focal-without-balancing's (a form of the focal family): the more of it, the
    /// better the family explains the loss. The mix is bisected for the ratio of the variance the family's best
    /// fit leaves unexplained to what the best fit outside it leaves.
    @Test("LD310: a focal-named loss that BCE explains leaving 10.1 times less variance than the family's best is called BCE, 9.9 times not",
          arguments: [(10.1, true), (9.9, false)])
    func referenceMismatchBetterFactor(ratio: Double, fires: Bool) throws {
        let bce = try Self.referenceValues("bce"), focal = try Self.referenceValues(ReferenceMismatchRule.unbalancedFocal.name)
        func mixed(_ s: Double) -> Evidence {
            Self.probeTable("focal_boundary") { probe in bce[probe].flatMap { b in focal[probe].map { b + s * $0 } } }
        }
        func unexplainedRatio(_ s: Double) throws -> Double {
            let (other, own) = try Self.weighed(mixed(s))
            return (1 - own.explained) / (1 - other.explained)
        }
        var low = 1e-6, high = 100.0  // the ratio falls as s grows
        for _ in 0..<80 {
            let mid = (low * high).squareRoot()
            if try unexplainedRatio(mid) > ratio { low = mid } else { high = mid }
        }
        let evidence = mixed(low)
        let (other, _) = try Self.weighed(evidence)
        #expect(Swift.abs(try unexplainedRatio(low) - ratio) < 0.02)
        #expect(other.explained > 0.995)  // well inside the explained share: the other threshold does not decide
        #expect(ReferenceMismatchRule().check(evidence).count == (fires ? 1 : 0))
    }
}
