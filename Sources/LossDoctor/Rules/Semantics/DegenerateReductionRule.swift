extension RuleDescription {
    static let degenerateReduction = RuleDescription(
        code: "LD307", name: "degenerate-reduction", severity: .warning,
        summary: "Flags a reduction that leaves spatial axes before a ratio: over axes whose extent is 1 (e.g. `axis=-1` on a one-channel mask), or over only some of the spatial axes (a 2-D Dice's `dim=(2, 3)` on volumes).",
        rationale: "The sum reduces nothing, so a \"Dice\" is computed per pixel instead of per mask: each pixel's (2yp + 1)/(y + p + 1) is a different, much weaker loss, blind to object size. A reduction over only some spatial axes (a 2-D Dice reused for volumes) is the same defect one axis up: one Dice per row or column, where the rows the object does not reach are perfect whatever is predicted.",
        detection: "A sum, mean, max or min over axes that all have extent 1, applied to a prediction-dependent tensor with more than one element per sample, and followed by a division that still has more than one element per sample: a ratio per pixel. A mean over the single class of per-class statistics `(N, 1)` is not flagged, nor a sum over the one channel of per-pixel terms without a ratio after it (categorical cross-entropy's `sum(y * log p, axis=-1)`: it changes nothing). On a one-channel probe, a sum or mean over some spatial axes that keeps others, followed by such a ratio: one ratio per row or column (a 2-D Dice's `sum((2, 3))` given volumes).",
        fix: "Reduce over the spatial axes (`axis=[1, 2, 3]` for NHWC, `dim=(1, 2, 3)` for NCHW), or flatten first.",
        example: "intersection = K.sum(y_true * y_pred, axis=-1)",
        useInstead: "intersection = K.sum(y_true * y_pred, axis=[1, 2, 3])",
        triggeringLosses: ["dice-channel-axis"], passingLosses: ["soft-dice"]
    )
}

/// LD307: a reduction over axes of extent 1.
struct DegenerateReductionRule: Rule {
    var reads: RuleInput { .engineGraph }
    var description: RuleDescription { .degenerateReduction }

    func check(_ evidence: Evidence) -> [Finding] {
        if let partial = evidence.graphFacts.first(where: { $0.kind == .partialSpatialReduction }),
           !evidence.graphFacts.contains(where: { $0.kind == .degenerateReduction }) {
            return [finding("\(Phrase.op(partial.op)) over \(partial.detail) keeps spatial axes: each row or column of the mask gets its own ratio, not one per mask",
                            notes: ["rows or columns the object does not reach are empty: their ratio is perfect whatever the model predicts there, so missing the object costs only its share of the rows"],
                            probe: partial.probe, site: partial.op.site)]
        }
        guard let fact = evidence.graphFacts.first(where: { $0.kind == .degenerateReduction }) else { return [] }
        return [finding("\(Phrase.op(fact.op)) over \(fact.detail) reduces nothing: each pixel gets its own ratio (a per-pixel loss), not one per mask or per class",
                        notes: ["the reduced tensor still has its spatial axes, so the overlap is computed pixel by pixel; a mean over classes of per-class statistics would be harmless"],
                        probe: fact.probe, site: fact.op.site)]
    }
}
