extension RuleDescription {
    static let classesPooled = RuleDescription(
        code: "LD312", name: "classes-pooled", severity: .error,
        summary: "Flags a multi-class overlap loss that pools all classes into one overlap, so the background dominates.",
        rationale: "Summing the intersection and the cardinalities over the class axis too (`torch.sum(probs * one_hot)` over everything) makes one Dice of all pixels of all classes: background is 98 % of them, so predicting background everywhere scores Dice 0.98 and an object class can be missed entirely at almost no cost. Issue 17 reports that real 3-class training with such a loss (a 25k-parameter U-Net, Adam 1e-3) collapses to all-background within 20 steps.",
        detection: "A loss that divides two prediction-dependent sums (an overlap ratio), on the multi-class probe (3 classes, 1.56 % foreground): the all-background prediction and the prediction that misses each object class entirely both score less than 10 % of the way from perfect to uniform 1/C. A per-class Dice scores about 40 % (the missed class's Dice is 0), cross-entropy 28 %. Trivial-solution (LD304) follows from it and is folded in. Not on classification rows, where no position is pooled.",
        fix: "Reduce over the batch and spatial axes only, keep one Dice per class and average the classes (excluding background if the loss says so).",
        example: "inter = torch.sum(probs * one_hot); card = torch.sum(probs + one_hot)",
        useInstead: "inter = torch.sum(probs * one_hot, dim=(0, 2, 3)); card = torch.sum(probs + one_hot, dim=(0, 2, 3)); dice = ((2 * inter + 1) / (card + 1)).mean()",
        triggeringLosses: ["softmax-dice-pooled"], passingLosses: ["softmax-dice", "generalized-dice-softmax", "ce-dice"]
    )
}

/// LD312: a multi-class overlap pooled over classes: the background dominates.
struct ClassesPooledRule: Rule {
    var reads: RuleInput { .engineGraph }
    /// Share of the way from perfect to uniform 1/C below which a prediction scores "close to perfect".
    static let threshold: Float = 0.1

    var description: RuleDescription { .classesPooled }

    func check(_ evidence: Evidence) -> [Finding] {
        // A mean of per-pixel terms (cross-entropy, focal) is dominated by background pixels by design: that is
        // trivial-solution's (LD304) to judge. Pooling is a defect of an overlap ratio only.
        // Pooling over positions is a segmentation defect: on classification rows a ratio per sample (a cosine
        // similarity) pools nothing, and a majority class that wins is trivial-solution's (LD304) to judge.
        guard evidence.shape != .rows, evidence.target.isMultiClass, let classes = evidence.classes,
              evidence.graphFacts.contains(where: { $0.kind == .overlapRatio }) else { return [] }
        let perfect = evidence.value(.imbalanced, .perfect), uniform = evidence.value(.imbalanced, .uniform)
        let nothing = evidence.value(.imbalanced, .allBackground)
        guard perfect.isFinite, uniform.isFinite, nothing.isFinite, uniform - perfect > 1e-6 else { return [] }
        let share = (nothing - perfect) / (uniform - perfect)
        let missShares = classes.missingClass.map { ($0 - perfect) / (uniform - perfect) }
        guard share < Self.threshold, let worst = missShares.filter(\.isFinite).max(), worst < Self.threshold else { return [] }
        let c = evidence.target.classes
        return [finding(
            "the \(c) classes are pooled into one overlap: predicting all background on the imbalanced mask (1.56 % foreground) scores \(Phrase.number(nothing)), only \(Phrase.number(share * 100, 3)) % of the way from perfect (\(Phrase.number(perfect))) to uniform 1/\(c) (\(Phrase.number(uniform)))",
            notes: missShares.enumerated().map { index, s in
                "missing class \(index + 1) entirely costs \(Phrase.number(s * 100, 3)) % of that way: the background's pixels outweigh it"
            } + ["a per-class Dice averages the classes, so a missed class costs about 1/\(c) of the range"],
            probe: "imbalanced/all-background", numbers: ["share": Double(share), "worst_missing_class_share": Double(worst)])]
    }
}
