extension RuleDescription {
    static let softmaxOneChannel = RuleDescription(
        code: "LD311", name: "softmax-one-channel", severity: .error,
        summary: "Flags a softmax or log-softmax over an axis of extent 1: the constant 1 (or 0), whatever the prediction.",
        rationale: "softmax(z) = exp(z) / Σ exp(z) over one channel is exp(z) / exp(z) = 1 for every pixel, so a Dice or cross-entropy built on it is constant and its gradient is exactly zero: a one-channel (binary) model never trains. PyTorch `F.softmax(x, dim=1)` on `(N, 1, H, W)` returns ones without a warning; Keras `softmax` on `(N, H, W, 1)` the same.",
        detection: "A softmax or log-softmax on the prediction's path whose axis has extent 1, in the probe set the loss is checked with (multi-class losses are probed with 3 classes, so a healthy softmax Dice is not flagged). Its zero gradient, steps and constant values are folded into this finding as consequences.",
        fix: "For one output channel use a sigmoid (or BCE with logits); for a softmax give the model one channel per class, background included.",
        example: "p = F.softmax(logits, dim=1)  # logits: (N, 1, H, W)",
        useInstead: "p = torch.sigmoid(logits)  # or a C-channel output with F.softmax(logits, dim=1)",
        triggeringLosses: ["softmax-one-channel"], passingLosses: ["softmax-dice", "soft-dice"]
    )
}

/// LD311: a softmax over an axis of extent 1 is the constant 1.
struct SoftmaxOneChannelRule: Rule {
    var reads: RuleInput { .engineGraph }
    var description: RuleDescription { .softmaxOneChannel }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let fact = evidence.graphFacts.first(where: { $0.kind == .softmaxOverOneChannel }) else { return [] }
        return [finding(
            "\(Phrase.op(fact.op)) over \(fact.detail) is the constant \(fact.op.op.hasPrefix("log") ? "0" : "1"): the loss does not depend on the prediction through it",
            notes: ["a softmax normalises over its axis; over one channel exp(z) / exp(z) = 1 for every pixel, so its gradient is exactly zero",
                    "target probed as \(evidence.target.summary)"],
            probe: fact.probe, site: fact.op.site)]
    }
}
