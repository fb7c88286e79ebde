extension RuleDescription {
    static let smoothingDominates = RuleDescription(
        code: "LD404", name: "smoothing-dominates", severity: .warning,
        summary: "Flags an overlap loss whose smoothing constant is comparable to the foreground of small objects.",
        rationale: "With (2I + s) / (Σy + Σp + s) and s = 100, a 9-pixel object missed entirely still scores Dice 100/109: the loss barely changes whether the object is found, so small lesions are never learned.",
        detection: "For an overlap-type loss (on the imbalanced mask, missing the 1.56 % foreground costs more than \(Phrase.percent(SmoothingDominatesRule.overlapThreshold)) of the span perfect->inverted; a per-pixel loss costs about 1.56 %), missing the 9-pixel objects of the tiny mask costs less than \(Phrase.fraction(SmoothingDominatesRule.threshold)) of what missing the 8x8 objects of the imbalanced mask costs (both as shares of the span perfect->inverted on their mask), and, for a binary loss, less than \(Phrase.fraction(SmoothingDominatesRule.threshold)) of inverting the tiny mask. A loss that charges every miss alike (MCC: half its span, whatever the object's size) is not flagged, nor one whose span is set by a cross-entropy term (BCE - log Dice).",
        fix: "Use a smoothing constant far below the smallest object's area (1, or 1e-5 as MONAI does).",
        example: "smooth = 100.0",
        useInstead: "smooth = 1.0",
        triggeringLosses: ["dice-large-smooth"], passingLosses: ["soft-dice", "bce", "tversky"]
    )
}

/// LD404: the smoothing constant swamps small objects.
struct SmoothingDominatesRule: Rule {
    /// Share of the loss's span, and of the cost of missing the 8x8 objects, that missing the 9-pixel objects
    /// must cost at least.
    static let threshold: Float = 0.5
    /// Miss share on the imbalanced mask above which a loss is overlap-type: ten times its 1.56 % foreground,
    /// where a per-pixel loss (BCE, MSE) costs about the foreground fraction.
    static let overlapThreshold: Float = 0.15

    var description: RuleDescription { .smoothingDominates }

    /// The share of the span (perfect to inverted) that predicting all background costs on a mask.
    static func missShare(_ evidence: Evidence, _ mask: MaskKind) -> Float? {
        let perfect = evidence.value(mask, .perfect), span = evidence.span(mask)
        let miss = evidence.value(mask, .allBackground) - perfect
        guard span.isFinite, miss.isFinite, span > 1e-6 else { return nil }
        return miss / span
    }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let large = Self.missShare(evidence, .imbalanced), large > Self.overlapThreshold,
              let tiny = Self.missShare(evidence, .tiny) else { return [] }
        // Smoothing swamps small objects when the miss cost shrinks with the object's size: the tiny miss is
        // judged against the 8x8 miss. A multi-class loss averages C classes (missing one object costs about
        // 1/C of the span however large it is), so only the comparison applies there.
        guard tiny < Self.threshold * large else { return [] }
        if !evidence.target.isMultiClass { guard tiny < Self.threshold else { return [] } }
        return [finding(
            "missing a 9-pixel object costs only \(Phrase.number(tiny * 100, 3)) % of the loss's span (an 8x8 object: \(Phrase.number(large * 100, 3)) %): the smoothing constant swamps small objects",
            notes: ["tiny mask: " + evidence.valuesLine(.tiny, [.perfect, .allBackground, .inverted])],
            probe: .probe(.tiny, .allBackground), numbers: ["tiny_share": Double(tiny), "imbalanced_share": Double(large)])]
    }
}
