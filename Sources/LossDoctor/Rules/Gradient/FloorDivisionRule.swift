extension RuleDescription {
    static let floorDivision = RuleDescription(
        code: "LD101", name: "floor-division", severity: .error,
        summary: "Flags a floor division (`//`, `tf.math.floordiv`, `torch.floor_divide`, `np.floor_divide`) between the prediction and the loss.",
        rationale: """
            Floor division has no gradient. TensorFlow registers none (Keras `model.fit` stops with \
            `ValueError: No gradients provided for any variable`, or, when another term carries gradient, silently \
            trains without this one); PyTorch raises `RuntimeError: derivative for aten::floor_divide is not \
            implemented`. The value is stuck as well: a Dice ratio is below 1 for every imperfect prediction, so it \
            floors to 0 and the loss is 1 until the prediction is exactly perfect. This is the seed case: \
            `val_loss: 0.9218` for 50 epochs.
            """,
        detection: "An op `//` lies on a path from the prediction to the loss in the evaluated graph, on any probe. The message quotes the sweep perfect->inverted: the number of steps on which the loss sits on one value.",
        fix: "Use true division `/`.",
        example: "return 1 - (2 * intersection + 1) // (K.sum(y_true_f) + K.sum(y_pred_f) + 1)",
        useInstead: "return 1 - (2 * intersection + 1) / (K.sum(y_true_f) + K.sum(y_pred_f) + 1)",
        triggeringLosses: ["dice-floor", "bce-plus-dice-floor"], passingLosses: ["soft-dice", "bce"]
    )
}

/// LD101: a floor division on the path from the prediction to the loss.
struct FloorDivisionRule: Rule {
    var description: RuleDescription { .floorDivision }

    func check(_ evidence: Evidence) -> [Finding] {
        let (sites, probe) = evidence.cuts(of: .floorDivide)
        guard let first = sites.first else { return [] }
        var notes = ["TensorFlow: \(first.tensorflow); PyTorch: \(first.pytorch)"]
        if let sweep = evidence.sweep(from: .perfect, to: .inverted, on: .balanced), sweep.plateau.count * 2 > sweep.values.count {
            let (value, count) = sweep.plateau
            notes.append("loss is \(Phrase.number(value)) for \(count) of \(sweep.values.count) steps of the sweep perfect->inverted (balanced mask): it cannot move")
        }
        notes.append("imbalanced mask: " + evidence.valuesLine(.imbalanced, [.perfect, .soft, .uniform, .allBackground]))
        let cannotTrain = evidence.gradientMissingEverywhere
        let message = cannotTrain
            ? "floor division \(Phrase.ops(sites)) cuts the gradient: the loss cannot train"
            : "floor division \(Phrase.ops(sites)) cuts the gradient of its term: that term cannot train"
        return sites.map { site in
            finding(message, notes: notes, probe: probe, site: site.site,
                    numbers: ["distinct_values_in_sweep": Double(evidence.sweep(from: .perfect, to: .inverted, on: .balanced)?.distinctValues ?? 0)])
        }.prefix(1).map { $0 }
    }
}
