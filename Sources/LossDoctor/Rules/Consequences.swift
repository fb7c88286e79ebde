/// One root cause, one finding: what follows from a loss that cannot train (or from a defect that explains
/// it) is folded into the root's notes ("and therefore: ...") instead of being reported again. The
/// consequences stay in the report, marked, at severity info: JSON lists them, text shows them as notes.
/// `stalled-training` (LD501) is never folded: it predicts the symptom users see, the constant validation loss.
enum Consequences {
    /// Roots, most fundamental first, and the rules whose findings follow from each (named by their
    /// descriptions, so a typo does not compile).
    private static let declared: [(root: RuleDescription, consequences: [RuleDescription])] = [
        // floor division, no gradient, zero gradient, graph break: the loss cannot move, so it is
        // piecewise-constant, its empty-target and all-background values are arbitrary, and it trains slowly if at all.
        (.floorDivision, [.zeroGradient, .piecewiseConstant, .emptyTargetPenalized, .trivialSolution, .slowTraining, .failsToLearn]),
        (.noGradient, [.zeroGradient, .piecewiseConstant, .emptyTargetPenalized, .trivialSolution, .slowTraining, .failsToLearn]),
        (.graphBreak, [.noGradient, .zeroGradient, .piecewiseConstant, .emptyTargetPenalized, .trivialSolution, .slowTraining, .failsToLearn]),
        // a softmax over one channel is the constant 1: zero gradient, steps and constant values follow.
        (.softmaxOneChannel, [.zeroGradient, .piecewiseConstant, .emptyTargetPenalized, .trivialSolution, .slowTraining, .failsToLearn]),
        (.zeroGradient, [.piecewiseConstant, .emptyTargetPenalized, .trivialSolution, .slowTraining, .failsToLearn]),
        // classes pooled into one overlap: the all-background prediction scores near perfect.
        (.classesPooled, [.trivialSolution]),
        // the prediction cast to an integer: the cast cuts the gradient and rounds the values.
        (.integerCast, [.noGradient, .zeroGradient, .piecewiseConstant, .emptyTargetPenalized, .trivialSolution, .slowTraining, .failsToLearn]),
        // a Python `if` on a multi-element tensor raises in every framework: what the probes saw past it
        // (one branch taken for the whole batch) is not what the loss does, and it never trains.
        (.tensorTruthiness, [.wrongDirection, .minimumOffTarget, .emptyTargetPenalized, .trivialSolution, .slowTraining, .collapseToBackground, .failsToLearn]),
        // target and prediction swapped: the loss rewards the wrong thing, the simulated model follows it.
        (.argumentOrder, [.wrongDirection, .minimumOffTarget, .trivialSolution, .slowTraining, .collapseToBackground, .failsToLearn]),
        // the loss prefers a wrong prediction: training goes there, slowly or all the way to background.
        (.wrongDirection, [.vanishingGradient, .trivialSolution, .slowTraining, .collapseToBackground, .failsToLearn]),
        (.minimumOffTarget, [.trivialSolution, .slowTraining, .collapseToBackground, .failsToLearn]),
        // logits given to a loss that expects probabilities (named logits, no activation): its minimum is off the
        // target (or the inverted prediction ranks first), an empty target costs what it should not and the sweeps
        // sit still, all because of the domain (after LD301 and LD302 fold their own). A second sigmoid squeezes the
        // prediction into [0.5, 0.73]: all-background is then close to the reachable best, and training is slow or
        // ends at background, because of the domain.
        (.inputDomain, [.wrongDirection, .minimumOffTarget, .emptyTargetPenalized, .piecewiseConstant, .trivialSolution, .slowTraining, .collapseToBackground, .failsToLearn]),
        // a reduction over the wrong axes (a Dice per pixel): background everywhere is (almost) optimal.
        (.degenerateReduction, [.trivialSolution, .slowTraining, .collapseToBackground, .failsToLearn]),
        // NaN or infinity poisons the parameters: the simulated run stops improving from then on.
        (.nonFinite, [.slowTraining, .collapseToBackground, .failsToLearn]),
        // the smoothing term outweighs the objects: the gradient toward them is weak, training slow or stuck.
        (.smoothingDominates, [.slowTraining, .collapseToBackground, .failsToLearn]),
    ]

    /// The declared roots and consequences by code, the key findings carry.
    static let table: [(root: String, consequences: Set<String>)] = declared.map { ($0.root.code, Set($0.consequences.map(\.code))) }

    static func fold(_ findings: [Finding]) -> [Finding] {
        var result = findings
        var folded = Set<Int>()
        for (root, consequences) in table {
            // An info (a one-element `if t.any():` in eager PyTorch) explains nothing worse than itself.
            guard let rootIndex = result.indices.first(where: { result[$0].code == root && !folded.contains($0) }),
                  result[rootIndex].severity != .info else { continue }
            var notes: [String] = []
            var severity = result[rootIndex].severity
            for index in result.indices where index != rootIndex && !folded.contains(index) && consequences.contains(result[index].code) {
                let consequence = result[index]
                notes.append("and therefore: \(consequence.name) (\(consequence.code)): \(consequence.message)")
                severity = Swift.max(severity, consequence.severity)
                var marked = Finding(code: consequence.code, name: consequence.name, severity: .info, message: consequence.message,
                                     notes: consequence.notes, probe: consequence.probe, site: consequence.site,
                                     fix: consequence.fix, numbers: consequence.numbers)
                marked.consequenceOf = root
                marked.severityAlone = consequence.severity
                result[index] = marked
                folded.insert(index)
                // What this consequence had folded in follows it to the new root: a report releases a consequence
                // whose root is not a finding of its own.
                for other in result.indices where result[other].consequenceOf == consequence.code {
                    result[other].consequenceOf = root
                }
            }
            guard !notes.isEmpty else { continue }
            let r = result[rootIndex]
            // The root is as serious as what it explains: a swapped argument that makes the model collapse is an error.
            var merged = Finding(code: r.code, name: r.name, severity: severity, message: r.message, notes: r.notes + notes,
                                 probe: r.probe, site: r.site, fix: r.fix, numbers: r.numbers)
            merged.consequenceOf = r.consequenceOf
            result[rootIndex] = merged
        }
        return result
    }
}
