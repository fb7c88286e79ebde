extension RuleDescription {
    static let scaleVsReference = RuleDescription(
        code: "LD405", name: "scale-vs-reference", severity: .info,
        summary: "Reports the loss's values at standard probes next to BCE and soft Dice, when its scale differs from BCE's.",
        rationale: "Loss values of different losses are not comparable: soft Dice lives in [0, 1], Keras BCE reaches 16.1 on a confident mistake. The seed's user concluded BCE was better because its numbers were smaller. Compare models by a metric (Dice, IoU) on the same validation set.",
        detection: "The loss's span (|inverted - perfect|) on the imbalanced mask differs from BCE's by more than a factor of \(Phrase.number(ScaleVsReferenceRule.factor)).",
        fix: "Compare models by Dice or IoU on a validation set, not by their loss values.",
        example: "# choosing between losses by their val_loss",
        useInstead: "# choosing by val Dice/IoU, with a metric that ignores the loss",
        triggeringLosses: ["soft-dice", "dice-floor"], passingLosses: ["bce", "dice-bce"]
    )
}

/// LD405: the loss's values are on a different scale from the references.
struct ScaleVsReferenceRule: Rule {
    /// Span ratio to BCE beyond which the scales are called different.
    static let factor: Float = 2

    var description: RuleDescription { .scaleVsReference }

    /// BCE's and soft Dice's values on the standard probes, measured once.
    static let referenceValues: [(name: String, values: [PredictionKind: Float])] = ["bce", "soft-dice"].compactMap { name in
        guard let loss = ReferenceLosses.named(name)?.function else { return nil }
        let runner = ProbeRunner()
        let mask = runner.geometry.mask(.imbalanced)
        var values: [PredictionKind: Float] = [:]
        for prediction in standardProbes {
            let p = runner.probabilities(prediction, mask, salt: .imbalanced)
            values[prediction] = (try? runner.evaluate(loss, target: mask, shape: runner.geometry.shape, probabilities: p))?.output.scalars[0] ?? .nan
        }
        return (name, values)
    }

    static let standardProbes: [PredictionKind] = [.perfect, .allBackground, .uniform, .soft, .inverted]

    func check(_ evidence: Evidence) -> [Finding] {
        // The references are binary: their values say nothing about a multi-class probe's.
        guard !evidence.target.isMultiClass, let bce = Self.referenceValues.first?.values,
              let bceSpan = bce[.inverted].flatMap({ inv in bce[.perfect].map { inv - $0 } }) else { return [] }
        let span = Swift.abs(evidence.span(.imbalanced))
        guard span.isFinite, span > 0, span > Self.factor * bceSpan || span * Self.factor < bceSpan else { return [] }
        let rows = [("this loss", Dictionary(uniqueKeysWithValues: Self.standardProbes.map { ($0, evidence.value(.imbalanced, $0)) }))]
            + Self.referenceValues.map { ($0.name, $0.values) }
        let notes = rows.map { name, values in
            "\(name): " + Self.standardProbes.map { "\($0.rawValue) \(Phrase.number(values[$0] ?? .nan))" }.joined(separator: ", ")
        }
        return [finding(
            "the loss spans \(Phrase.number(span)) from perfect to inverted on the imbalanced mask, BCE spans \(Phrase.number(bceSpan)): their values are not comparable",
            notes: notes + ["an all-background model already has accuracy 0.984 on this mask: compare models by Dice or IoU"],
            probe: .probe(.imbalanced, .inverted), numbers: ["span": Double(span), "bce_span": Double(bceSpan)])]
    }
}
