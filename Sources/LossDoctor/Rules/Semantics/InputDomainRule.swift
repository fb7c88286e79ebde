extension RuleDescription {
    static let inputDomain = RuleDescription(
        code: "LD305", name: "input-domain", severity: .warning,
        summary: "Flags probabilities and logits confused: a sigmoid/softmax applied to a prediction that is already a probability, or raw logits logged as if they were probabilities.",
        rationale: "A second sigmoid squeezes [0, 1] into [0.5, 0.73]: the target becomes unreachable, the perfect prediction still costs a lot, and gradients shrink. Logging raw logits takes the log of negative numbers (NaN).",
        detection: "For a loss taking probabilities, a sigmoid or softmax applied directly to the prediction (through reshapes only). For a loss taking logits, a log applied directly to the prediction. In source files, a logits API (`*_with_logits`, `from_logits=True`) given the output of a sigmoid or softmax, or a sigmoid, softmax or logits API applied to a prediction parameter named as a probability (`probs`, `y_prob`, `probabilities`), when the input domain was inferred rather than given; and a prediction known to be logits (given by `--input logits`, or a parameter named `logits`, `pred_logits`) that the loss uses as probabilities: no activation of its own, and on the logits probes its minimum is off the target (LD302 as an error) or the inverted prediction ranks first (LD301).",
        fix: "Match the model's output: drop the activation inside the loss when the model ends with a sigmoid, or use `from_logits=True` and remove the model's sigmoid.",
        example: "return K.mean(K.binary_crossentropy(y_true, K.sigmoid(y_pred)))",
        useInstead: "return K.mean(K.binary_crossentropy(y_true, y_pred))",
        triggeringLosses: ["double-sigmoid"], passingLosses: ["bce", "bce-logits"]
    )
}

/// LD305: probabilities and logits confused.
struct InputDomainRule: Rule {
    var reads: RuleInput { .engineGraph }
    var description: RuleDescription { .inputDomain }

    func check(_ evidence: Evidence) -> [Finding] {
        let fedProbabilities = evidence.sourceFacts.compactMap { fact -> Finding? in
            guard case .logitsAPIGivenActivation(let activation) = fact.kind else { return nil }
            return finding("a logits API receives the output of `\(activation)`: probabilities are squashed a second time", at: fact,
                           notes: ["`*_with_logits` and `from_logits=True` apply the sigmoid themselves: the target becomes unreachable and the gradient shrinks"])
        }
        guard fedProbabilities.isEmpty else { return fedProbabilities }
        if let named = namedProbabilities(evidence) { return [named] }
        if let named = namedLogits(evidence) { return [named] }
        let kind: GraphFact.Kind = evidence.domain == .probabilities ? .activationOnPrediction : .logOfPrediction
        guard let fact = evidence.graphFacts.first(where: { $0.kind == kind }) else { return [] }
        let message = evidence.domain == .probabilities
            ? "\(Phrase.op(fact.op)) is applied to a prediction that is already a probability: the target becomes unreachable"
            : "\(Phrase.op(fact.op)) is applied to raw logits as if they were probabilities"
        return [finding(
            message,
            notes: ["the perfect prediction still costs \(Phrase.number(evidence.value(.balanced, .perfect))) on the balanced mask (inverted: \(Phrase.number(evidence.value(.balanced, .inverted))))",
                    "checked as taking \(evidence.domain == .probabilities ? "probabilities" : "logits"); if the model outputs \(evidence.domain == .probabilities ? "logits" : "probabilities"), check with --input \(evidence.domain == .probabilities ? "logits" : "probs")"],
            probe: fact.probe, site: fact.op.site)]
    }

    /// A prediction known to be logits, by the user's word (`--input logits`, or the configuration) or by its name,
    /// given to a loss that has no activation of its own and is not minimised at the target when fed logits: the
    /// loss expects probabilities (`DiceLoss(from_logits=False)` on a model's logits, MONAI's `softmax=True`
    /// ignored on one channel). A hinge on raw scores (Lovasz) is also activation-free, but its minimum is at the
    /// target: no finding.
    private func namedLogits(_ evidence: Evidence) -> Finding? {
        guard evidence.domain == .logits, let origin = evidence.origin,
              !evidence.graphFacts.contains(where: { $0.kind == .activationOnPrediction }) else { return nil }
        let namedByParameter = origin.inference.hasPrefix("input logits (inferred: the prediction parameter is named")
        let given = origin.inputGiven
        guard namedByParameter || given else { return nil }
        // Off target, or worse: logits used as probabilities can even rank the inverted prediction first
        // (catalyst's and toolbelt's Lovasz-softmax name their probabilities `logits`).
        let symptoms = MinimumOffTargetRule().check(evidence) + WrongDirectionRule().check(evidence)
        guard let offTarget = symptoms.first(where: { $0.severity == .error }) else { return nil }
        let witness = given ? "the model outputs logits (as given)" : "the prediction `\(origin.predictionParameter)` is named logits"
        let checkedAs = given ? "checked as taking logits because you said so" : "checked as taking logits because of the name"
        // On the probe where the other rule's finding showed (its printed id).
        return description.finding(
            "\(witness), yet the loss uses it as probabilities: \(offTarget.message)",
            notes: ["the loss applies no sigmoid or softmax of its own; \(checkedAs): if the model outputs probabilities, \(given ? "" : "rename the parameter or ")check with --input probs"],
            probe: offTarget.probe,
            fix: "Apply the activation before a probability loss (`torch.sigmoid(logits)`, `from_logits=True`, `sigmoid=True`), or give it the model's probabilities.")
    }

    /// Words in a parameter name that say it holds probabilities (split at `_`: `probs`, `y_prob`, `pred_probas`).
    static let probabilityWords: Set<String> = ["prob", "probs", "proba", "probas", "probability", "probabilities"]

    /// A prediction the user named a probability that the loss treats as logits: the domain was inferred as logits
    /// only because of that activation, so the name is the better witness of what the model outputs.
    private func namedProbabilities(_ evidence: Evidence) -> Finding? {
        guard evidence.domain == .logits, let origin = evidence.origin, origin.inference.hasPrefix("input logits (inferred"),
              origin.predictionParameter.lowercased().split(separator: "_").contains(where: { Self.probabilityWords.contains(String($0)) })
        else { return nil }
        // A logits API (BCEWithLogitsLoss, from_logits=True) is computed stably without a sigmoid node: no fact, no site.
        let fact = evidence.graphFacts.first { $0.kind == .activationOnPrediction }
        let treatment = fact.map { Phrase.op($0.op) } ?? "a logits API"
        return finding(
            "the prediction `\(origin.predictionParameter)` is named a probability, yet \(treatment) treats it as logits: a probability squeezed through another sigmoid lies in [0.5, 0.73] and never reaches the target",
            notes: ["checked as taking logits because the loss applies \(treatment) to it; if the model outputs logits, rename the parameter or check with --input logits"],
            probe: fact?.probe, site: fact?.op.site,
            fix: "Give a logits API the model's logits (remove the model's final sigmoid), or use the probability form (`binary_cross_entropy`, `from_logits=False`).")
    }
}
