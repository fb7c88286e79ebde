extension RuleDescription {
    static let ignoreIndexLeak = RuleDescription(
        code: "LD313", name: "ignore-index-leak", severity: .error,
        summary: "Flags a class-index loss whose value changes with the prediction on pixels labelled `ignore_index`.",
        rationale: "Datasets mark unlabelled or ambiguous pixels with an `ignore_index` (255 in PASCAL VOC and Cityscapes). `F.cross_entropy(..., ignore_index=255)` skips them, but a hand-written Dice that one-hots the target after `target[target == 255] = 0`, or clamps it, trains the model to call those pixels background (or an arbitrary class): object borders are learned wrong.",
        detection: "Class-index probe with a 2-pixel frame labelled 255 (when the loss's file mentions `ignore_index`): predicting the frame wrong, everything else perfect, changes the loss by more than \(Phrase.power(IgnoreIndexLeakRule.threshold)) of its range perfect->uniform.",
        fix: "Mask the ignored pixels out of every term: multiply the prediction and the one-hot target by `(target != ignore_index)` before the sums, as `cross_entropy(ignore_index=...)` does.",
        example: "t = target.clone(); t[t == 255] = 0; one_hot = F.one_hot(t, C)",
        useInstead: "valid = (target != 255); t = target * valid; one_hot = F.one_hot(t, C) * valid[:, :, :, None]; probs = probs * valid[:, None]",
        triggeringLosses: ["index-dice-ignore-leak"], passingLosses: ["index-dice-ignore", "softmax-dice"]
    )
}

/// LD313: pixels labelled `ignore_index` still change the loss.
struct IgnoreIndexLeakRule: Rule {
    /// Change of the loss, relative to its range perfect->uniform, above which ignored pixels leak.
    static let threshold: Float = 1e-4

    var description: RuleDescription { .ignoreIndexLeak }

    func check(_ evidence: Evidence) -> [Finding] {
        guard case .classIndex(_, let ignore?) = evidence.target, let change = evidence.classes?.ignoredChange else { return [] }
        let range = evidence.value(.imbalanced, .uniform) - evidence.value(.imbalanced, .perfect)
        guard change.isFinite, range.isFinite, range > 1e-6, change / range > Self.threshold else { return [] }
        return [finding(
            "pixels labelled ignore_index \(ignore) change the loss: predicting them wrong moves it by \(Phrase.number(change)) (\(Phrase.number(change / range * 100, 3)) % of the range perfect->uniform)",
            notes: ["probe: a 2-pixel frame of every 64x64 image labelled \(ignore), the rest predicted perfectly"],
            probe: .probe(.imbalanced, .perfect), numbers: ["change": Double(change)])]
    }
}
