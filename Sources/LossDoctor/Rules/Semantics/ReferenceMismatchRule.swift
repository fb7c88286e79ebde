extension RuleDescription {
    static let referenceMismatch = RuleDescription(
        code: "LD310", name: "reference-mismatch", severity: .info,
        summary: "Reports a loss named like a known family (Dice, IoU/Jaccard, Tversky, focal, BCE) whose values across the probes are explained better by a different reference loss.",
        rationale: """
            A name is a promise: a "focal" loss that is really 2 x BCE (`* gamma` written for `** gamma`) trains, \
            but it does not down-weight easy pixels, and comparisons and tuning made under its name are wrong. \
            Matching the loss's values against the references, up to scale and offset, says what it actually computes.
            """,
        detection: """
            For a loss whose name contains dice, iou, jaccard, tversky, focal, bce, crossentropy or logloss, its \
            finite values on the probe table (6 masks x 9 predictions) are fitted by least squares as a x reference \
            + b for every healthy reference (and, for the focal family only, focal without class balancing). Reported when a reference outside the family explains at least \(Phrase.percent(ReferenceMismatchRule.explainedShare)) of \
            the variance and leaves at least \(Phrase.number(ReferenceMismatchRule.betterFactor)) times less unexplained than the family's best reference.
            """,
        fix: "Check the formula against the reference it is named after, or rename the loss after what it computes.",
        example: "def focal_loss(y_true, y_pred, gamma=2.0):\n    return K.mean(gamma * K.binary_crossentropy(y_true, y_pred))",
        useInstead: "def focal_loss(y_true, y_pred, gamma=2.0):\n    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)\n    return K.mean((1 - p_t) ** gamma * K.binary_crossentropy(y_true, y_pred))",
        triggeringLosses: ["focal-times-gamma"], passingLosses: ["focal", "soft-dice", "bce-plus-dice-floor", "dice-floor"]
    )
}

/// LD310: a loss named like a known family behaves like a different reference.
struct ReferenceMismatchRule: Rule {
    /// A reference explains the loss when an affine rescaling of it leaves less than this share of the
    /// loss's variance over the probes unexplained.
    static let explainedShare = 0.99
    /// The other reference must leave at least this many times less variance unexplained than the family's best.
    static let betterFactor = 10.0

    /// Name fragments of the known families and the healthy references that belong to each.
    static let families: [(name: String, keywords: [String], references: [String])] = [
        ("Dice", ["dice"], ["soft-dice", "generalized-dice", "log-cosh-dice", "dice-bce"]),
        ("IoU", ["iou", "jaccard"], ["iou"]),
        ("Tversky", ["tversky"], ["tversky", "focal-tversky"]),
        ("focal", ["focal"], ["focal", "focal-tversky", unbalancedFocal.name]),
        ("BCE", ["bce", "crossentropy", "logloss"], ["bce", "bce-logits", "dice-bce"]),
    ]

    var description: RuleDescription { .referenceMismatch }

    /// A form of a family that is not a reference of its own (its findings would repeat focal's): it counts only
    /// toward its family's best fit, so a textbook focal loss without α is not called BCE.
    static let unbalancedFocal = LossFunction(name: "focal without class balancing", domain: .probabilities) { y, p throws(EngineError) in
        try LossMath.focal(y, p, alpha: nil)
    }

    /// The healthy references' values on every probe, measured once.
    static let referenceValues: [(name: String, values: [String: Double])] = ReferenceLosses.healthy.map { ($0.name, values(of: $0.function)) }
    /// The family-only forms' values, measured once.
    static let variantValues: [(name: String, values: [String: Double])] = [(unbalancedFocal.name, values(of: unbalancedFocal))]

    private static func values(of function: LossFunction) -> [String: Double] {
        let runner = ProbeRunner()
        var values: [String: Double] = [:]
        for mask in MaskKind.allCases {
            let target = runner.geometry.mask(mask)
            for prediction in PredictionKind.allCases {
                let p = runner.probabilities(prediction, target, salt: mask)
                if let run = try? runner.evaluate(function, target: target, shape: runner.geometry.shape, probabilities: p) {
                    values[ProbeID.probe(mask, prediction).description] = Double(run.output.scalars[0])
                }
            }
        }
        return values
    }

    /// The families a loss's name belongs to.
    static func families(named name: String) -> [(name: String, keywords: [String], references: [String])] {
        let key = String(name.lowercased().filter { $0.isLetter || $0.isNumber })
        return families.filter { family in family.keywords.contains { key.contains($0) } }
    }

    /// How well `a * reference + b` fits the loss over the probes both have finite values on.
    struct Fit {
        let reference: String
        let scale: Double
        let offset: Double
        /// Share of the loss's variance the fit explains (R²).
        let explained: Double
        let probes: Int
    }

    static func fit(_ loss: [String: Double], _ reference: (name: String, values: [String: Double])) -> Fit? {
        // In probe order: sums over a dictionary's order would change in the last digits with the hash seed.
        let pairs = loss.sorted { $0.key < $1.key }.compactMap { probe, y -> (Double, Double)? in
            guard y.isFinite, let x = reference.values[probe], x.isFinite else { return nil }
            return (x, y)
        }
        guard pairs.count >= 8 else { return nil }
        let n = Double(pairs.count)
        let mx = pairs.reduce(0) { $0 + $1.0 } / n, my = pairs.reduce(0) { $0 + $1.1 } / n
        let sxx = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        let sxy = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let syy = pairs.reduce(0) { $0 + ($1.1 - my) * ($1.1 - my) }
        guard sxx > 0, syy > 1e-12 * Swift.max(1, my * my) else { return nil }
        let scale = sxy / sxx
        let offset = my - scale * mx
        let residual = pairs.reduce(0) { $0 + ($1.1 - scale * $1.0 - offset) * ($1.1 - scale * $1.0 - offset) }
        return Fit(reference: reference.name, scale: scale, offset: offset, explained: 1 - residual / syy, probes: pairs.count)
    }

    /// The best fit of each reference to the loss's probe values, best first.
    static func fits(_ evidence: Evidence) -> [Fit] {
        let values = Dictionary(evidence.observations.map { ($0.probe.description, Double($0.value)) }, uniquingKeysWith: { a, _ in a })
        return (referenceValues + variantValues).compactMap { fit(values, $0) }.sorted { $0.explained > $1.explained }
    }

    func check(_ evidence: Evidence) -> [Finding] {
        let families = Self.families(named: evidence.lossName)
        // The references are binary: a multi-class loss is not compared with them.
        guard !families.isEmpty, !evidence.target.isMultiClass else { return [] }
        let members = Set(families.flatMap(\.references))
        let fits = Self.fits(evidence)
        let variantNames = Set(Self.variantValues.map(\.name))
        guard let other = fits.first(where: { !members.contains($0.reference) && !variantNames.contains($0.reference) }),
              other.explained >= Self.explainedShare else { return [] }
        let own = fits.first { members.contains($0.reference) }
        let ownUnexplained = own.map { 1 - $0.explained } ?? 1
        guard ownUnexplained >= Self.betterFactor * (1 - other.explained) else { return [] }
        let familyNames = families.map(\.name).joined(separator: " / ")
        var notes = ["fit: loss ≈ \(formatNumber(other.scale, significant: 3)) x \(other.reference) \(other.offset < 0 ? "-" : "+") \(formatNumber(Swift.abs(other.offset), significant: 3)) over \(other.probes) probes"]
        if let own {
            notes.append("the closest \(familyNames) reference, \(own.reference), explains \(Phrase.percent(own.explained)) of the variance")
        }
        return [finding(
            "the loss is named like a \(familyNames) loss, but its probe values match \(other.reference) (\(Phrase.percent(other.explained)) of the variance explained) better than any \(familyNames) reference",
            notes: notes, probe: nil,
            numbers: ["explained": other.explained, "family_explained": own?.explained ?? 0, "scale": other.scale, "offset": other.offset])]
    }
}

extension Phrase {
    /// A share as a percentage with up to four significant digits: `99.97 %`.
    static func percent(_ share: Double) -> String { formatNumber(share * 100, significant: 4) + " %" }
}
