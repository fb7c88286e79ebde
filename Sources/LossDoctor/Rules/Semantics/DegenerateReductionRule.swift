extension RuleDescription {
    static let degenerateReduction = RuleDescription(
        code: "LD307", name: "degenerate-reduction", severity: .warning,
        summary: "Flags a reduction over axes whose extent is 1 (e.g. `axis=-1` on a one-channel mask).",
        rationale: "The sum reduces nothing, so a \"Dice\" is computed per pixel instead of per mask: each pixel's (2yp + 1)/(y + p + 1) is a different, much weaker loss, blind to object size.",
        detection: "A sum, mean, max or min over axes that all have extent 1, applied to a prediction-dependent tensor with more than one element per sample, and followed by a division that still has more than one element per sample: a ratio per pixel. A mean over the single class of per-class statistics `(N, 1)` is not flagged, nor a sum over the one channel of per-pixel terms without a ratio after it (categorical cross-entropy's `sum(y * log p, axis=-1)`: it changes nothing).",
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
        guard let fact = evidence.graphFacts.first(where: { $0.kind == .degenerateReduction }) else { return [] }
        return [finding("\(Phrase.op(fact.op)) over \(fact.detail) reduces nothing: each pixel gets its own ratio (a per-pixel loss), not one per mask or per class",
                        notes: ["the reduced tensor still has its spatial axes, so the overlap is computed pixel by pixel; a mean over classes of per-class statistics would be harmless"],
                        probe: fact.probe, site: fact.op.site)]
    }
}
