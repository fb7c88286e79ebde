extension RuleDescription {
    static let argumentOrder = RuleDescription(
        code: "LD306", name: "argument-order", severity: .warning,
        summary: "Flags a loss that treats the target as the prediction: a log of the target, the signature of swapped arguments.",
        rationale: "Keras calls `loss(y_true, y_pred)`, PyTorch modules `forward(input, target)`. Swapped, a cross-entropy takes the log of the hard 0/1 target (clipped to ±16 by Keras) and is linear in the prediction: it never saturates near the target and its values mean nothing.",
        detection: "A `log` whose argument is computed from the target alone (not from the prediction), in a loss that takes no log of the prediction: a symmetric cross-entropy logs both, the clipped target by design (its reverse term).",
        fix: "Swap the arguments to the order the framework uses: Keras `(y_true, y_pred)`, PyTorch `(input, target)`.",
        example: "return K.mean(K.binary_crossentropy(y_pred, y_true))",
        useInstead: "return K.mean(K.binary_crossentropy(y_true, y_pred))",
        triggeringLosses: ["bce-swapped"], passingLosses: ["bce"]
    )
}

/// LD306: the loss works only with its arguments swapped.
struct ArgumentOrderRule: Rule {
    var reads: RuleInput { .engineGraph }
    var description: RuleDescription { .argumentOrder }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let fact = evidence.graphFacts.first(where: { $0.kind == .logOfTarget }),
              !evidence.graphFacts.contains(where: { $0.kind == .logOfPredictionTerm }) else { return [] }
        return [finding(
            "\(Phrase.op(fact.op)) is applied to the target: the prediction and the target look swapped",
            notes: ["soft predictions on the balanced mask: " + evidence.valuesLine(.balanced, [.perfect, .soft, .uniform])],
            probe: fact.probe, site: fact.op.site)]
    }
}
