extension RuleDescription {
    static let resolutionDependentScale = RuleDescription(
        code: "LD402", name: "resolution-dependent-scale", severity: .warning,
        summary: "Flags a loss whose value changes when target and prediction are upsampled by 2 (sums over pixels).",
        rationale: "The loss, and with it the gradient and the right learning rate, grows with the image size: training at 256x256 and fine-tuning at 512x512 need different learning rates, and loss values cannot be compared across resolutions.",
        detection: "On imbalanced/random, target and prediction are upsampled 2x (nearest): the loss changes by more than \(Phrase.percent(ResolutionDependentScaleRule.tolerance)) (a pixel sum changes by 4x, a sum over one axis by 2x; a small resolution-dependent term such as 0.01 x a boundary loss on pixel distances changes it by about 12 %, too little to retune a learning rate for).",
        fix: "Average over pixels instead of summing.",
        example: "return K.sum(K.binary_crossentropy(y_true, y_pred))",
        useInstead: "return K.mean(K.binary_crossentropy(y_true, y_pred))",
        triggeringLosses: ["bce-sum"], passingLosses: ["bce", "soft-dice"]
    )
}

/// LD402: upsampling target and prediction changes the loss.
struct ResolutionDependentScaleRule: Rule {
    /// Relative change that counts as resolution-dependent.
    static let tolerance = 0.25

    var description: RuleDescription { .resolutionDependentScale }

    func check(_ evidence: Evidence) -> [Finding] {
        guard let scale = evidence.scale, scale.base.value != 0, scale.base.value.isFinite else { return [] }
        let ratio = Double(scale.upsampled.value / scale.base.value)
        guard Swift.abs(ratio - 1) > Self.tolerance else { return [] }
        return [finding(
            "upsampling target and prediction 2x multiplies the loss by \(Phrase.number(ratio)): its scale depends on the image size",
            notes: ["\(scale.probe): \(Phrase.number(scale.base.value)) at 64x64, \(Phrase.number(scale.upsampled.value)) at 128x128"],
            probe: scale.probe, numbers: ["value_ratio": ratio])]
    }
}
