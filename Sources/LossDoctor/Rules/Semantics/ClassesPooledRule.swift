extension RuleDescription {
    static let classesPooled = RuleDescription(
        code: "LD312", name: "classes-pooled", severity: .error,
        summary: "Flags a multi-class overlap loss that pools all classes into one overlap, so the background dominates.",
        rationale: "Summing the intersection and the cardinalities over the class axis too (`torch.sum(probs * one_hot)` over everything) makes one Dice of all pixels of all classes: background is 98 % of them, so predicting background everywhere scores Dice 0.98 and an object class can be missed entirely at almost no cost. Issue 17 reports that real 3-class training with such a loss (a 25k-parameter U-Net, Adam 1e-3) collapses to all-background within 20 steps.",
        detection: "A loss that divides two prediction-dependent sums (an overlap ratio), on the multi-class probe (3 classes, 1.56 % foreground): the all-background prediction and the prediction that misses each object class entirely both score less than \(Phrase.percent(ClassesPooledRule.threshold)) of the way from perfect to uniform 1/C. A per-class Dice scores about 40 % (the missed class's Dice is 0), cross-entropy 28 %. Trivial-solution (LD304) follows from it and is folded in. Not on classification rows, where no position is pooled.",
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
        let whole = Pooling(perfect: evidence.value(.imbalanced, .perfect), uniform: evidence.value(.imbalanced, .uniform),
                            allBackground: evidence.value(.imbalanced, .allBackground), missingClass: classes.missingClass)
        let c = evidence.target.classes
        if whole.uniform - whole.perfect > 1e-6, whole.isPooled {
            return [finding(
                "the \(c) classes are pooled into one overlap: predicting all background on the imbalanced mask (1.56 % foreground) scores \(Phrase.number(whole.allBackground)), only \(Phrase.number(whole.share * 100, 3)) % of the way from perfect (\(Phrase.number(whole.perfect))) to uniform 1/\(c) (\(Phrase.number(whole.uniform)))",
                notes: whole.notes(classes: c), probe: .probe(.imbalanced, .allBackground),
                numbers: ["share": Double(whole.share), "worst_missing_class_share": Double(whole.worstMissing)])]
        }
        // The whole loss is not pooled, but a term of it is (a term may be the Dice itself, higher when better): a pooled Dice added to cross-entropy gives the sum the
        // cross-entropy's balance, while the Dice, the part meant to count every class, still counts background.
        for term in classes.overlapTerms {
            let pooling = Pooling(perfect: term.perfect, uniform: term.uniform, allBackground: term.allBackground, missingClass: term.missingClass)
            guard pooling.isPooled else { continue }
            return [finding(
                "the overlap term pools the \(c) classes into one overlap: on the imbalanced mask (1.56 % foreground) predicting all background moves it only \(Phrase.number(pooling.share * 100, 3)) % of the way from perfect to uniform 1/\(c)",
                notes: ["the loss adds this term to others; the sum is less pooled, but this term counts background as one big class"]
                    + pooling.notes(classes: c),
                probe: .probe(.imbalanced, .allBackground), site: term.op?.site,
                numbers: ["share": Double(pooling.share), "worst_missing_class_share": Double(pooling.worstMissing)])]
        }
        return []
    }

    /// How close all-background and each missed class come to perfect, as a share of the way to uniform 1/C.
    private struct Pooling {
        let perfect: Float, uniform: Float, allBackground: Float
        let missingClass: [Float]

        var share: Float { (allBackground - perfect) / (uniform - perfect) }
        var missShares: [Float] { missingClass.map { ($0 - perfect) / (uniform - perfect) } }
        var worstMissing: Float { missShares.filter(\.isFinite).max() ?? .nan }

        var isPooled: Bool {
            guard perfect.isFinite, uniform.isFinite, allBackground.isFinite, Swift.abs(uniform - perfect) > 1e-6 else { return false }
            return share < ClassesPooledRule.threshold && worstMissing < ClassesPooledRule.threshold
        }

        func notes(classes c: Int) -> [String] {
            missShares.enumerated().map { index, s in
                "missing class \(index + 1) entirely costs \(Phrase.number(s * 100, 3)) % of that way: the background's pixels outweigh it"
            } + ["a per-class Dice averages the classes, so a missed class costs about 1/\(c) of the range"]
        }
    }
}
