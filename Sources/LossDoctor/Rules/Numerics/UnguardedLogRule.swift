extension RuleDescription {
    static let unguardedLog = RuleDescription(
        code: "LD202", name: "unguarded-log", severity: .warning,
        summary: "Flags a log of a prediction-dependent quantity that reaches 0 on a hard (0/1) prediction, with no epsilon or clip.",
        rationale: "The loss is -inf or NaN (0 * log 0) as soon as the model is confident: in float32 a sigmoid output is exactly 1.0 from z = 16.7. Keras' `binary_crossentropy` clips to [1e-7, 1 - 1e-7] and PyTorch's clamps each log term at -100 for this reason.",
        detection: "On some probe, the argument of a `log` depends on the prediction and has a minimum of 0 or below. Not for a loss taking logits whose log receives a sigmoid/softmax it made itself: that is LD203 float32-saturation.",
        fix: "Clip the argument (`K.clip(p, K.epsilon(), 1 - K.epsilon())`, `torch.clamp(p, 1e-7, 1 - 1e-7)`) or use the framework's cross-entropy.",
        example: "return -K.mean(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))",
        useInstead: "return K.mean(K.binary_crossentropy(y_true, y_pred))",
        triggeringLosses: ["bce-no-clip"], passingLosses: ["bce", "focal"]
    )
}

/// LD202: a log of a quantity that reaches 0 on a hard prediction.
struct UnguardedLogRule: Rule {
    var reads: RuleInput { .engineGraph }
    var description: RuleDescription { .unguardedLog }

    func check(_ evidence: Evidence) -> [Finding] {
        // A log of a sigmoid made from logits inside the loss reaches 0 because float32 saturates: that is
        // LD203 float32-saturation, whose fix (the logits form) also removes the log; a clip alone would not.
        let saturated = evidence.domain == .logits
            ? Set(evidence.graphFacts.filter { $0.kind == .logOfZeroAfterActivation }.map(\.op)) : []
        let facts = evidence.graphFacts.filter { $0.kind == .logOfZero && !saturated.contains($0.op) }
        var seen = Set<OpSite>()
        let clips = evidence.graphFacts.filter { $0.kind == .logOfZeroThroughClip }
        return facts.filter { seen.insert($0.op).inserted }.map { fact in
            let message = "\(Phrase.op(fact.op)) receives \(fact.detail) on probe \(fact.probe): the loss is infinite as soon as the model is confident"
            guard let clip = clips.first(where: { $0.op == fact.op }) else { return finding(message, probe: fact.probe, site: fact.op.site) }
            // The clip is there but does nothing in float32: its fix is a larger bound, not a clip.
            return finding(message, notes: ["the argument is clipped to \(clip.detail) in float32, which still reaches 0: 1 - 1e-12 rounds to 1.0 (float32 resolves 6e-8 near 1)"],
                           probe: fact.probe, site: fact.op.site,
                           fix: "Clip with a bound float32 can represent next to 1: `K.epsilon()` (1e-7), e.g. `K.clip(p, K.epsilon(), 1 - K.epsilon())`.")
        }
    }
}
