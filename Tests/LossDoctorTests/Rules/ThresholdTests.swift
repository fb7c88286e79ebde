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
                         target: TargetFormat = .binary) -> Evidence {
        var evidence = Evidence(lossName: "boundary", domain: domain, layout: .channelsLast, observations: observations, sweeps: sweeps,
                                scale: nil, terms: [], graphFacts: [], failures: [])
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
}
