extension RuleDescription {
    static let float32Saturation = RuleDescription(
        code: "LD203", name: "float32-saturation", severity: .warning,
        summary: "Flags a log of probabilities that the loss itself makes from logits with a sigmoid or softmax.",
        rationale: "In float32, `sigmoid(z)` is exactly 1.0 for z >= 16.7, so `log(1 - p)` is -inf; with a clip it is finite but the clip is active and the gradient is zero: a confidently wrong model stops learning. This is why frameworks offer `from_logits=True` and `*_with_logits`.",
        detection: "For a loss taking logits, a `log` whose argument traces back (through clips and affine maps) to a sigmoid or softmax of the prediction.",
        fix: "Use the logits form: `binary_crossentropy(..., from_logits=True)`, `tf.nn.sigmoid_cross_entropy_with_logits`, `F.binary_cross_entropy_with_logits`, or `log_sigmoid`.",
        example: "p = tf.sigmoid(logits)\nreturn K.mean(K.binary_crossentropy(y_true, p))",
        useInstead: "return K.mean(K.binary_crossentropy(y_true, logits, from_logits=True))",
        triggeringLosses: ["bce-sigmoid-logits"], passingLosses: ["bce-logits"]
    )
}

/// LD203: probabilities made from logits inside the loss, then logged.
struct Float32SaturationRule: Rule {
    var reads: RuleInput { .engineGraph }
    var description: RuleDescription { .float32Saturation }

    func check(_ evidence: Evidence) -> [Finding] {
        guard evidence.domain == .logits,
              let fact = evidence.graphFacts.first(where: { $0.kind == .logOfActivation }) else { return [] }
        var notes = ["in float32, sigmoid(z) is exactly 1 for z >= 16.7: log(1 - p) is -inf, or clipped with a zero gradient"]
        if let hard = evidence.observation(.balanced, .inverted) {
            notes.append("at balanced/inverted (logits ±\(Phrase.number(InputDomain.hardLogit))) the loss is \(Phrase.number(hard.value)) and the gradient is \(hard.gradient.state.rawValue) (norm \(Phrase.number(hard.gradient.norm)))")
        }
        return [finding("probabilities made by \(Phrase.op(fact.op)) inside the loss are then logged: float32 saturates for confident logits",
                        notes: notes, probe: fact.probe, site: fact.op.site)]
    }
}
