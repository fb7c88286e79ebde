extension RuleDescription {
    static let unusedParameter = RuleDescription(
        code: "LD605", name: "unused-parameter", severity: .info,
        summary: "Reports a hyper-parameter (smooth, alpha, gamma, weight) that the loss accepts but never uses.",
        rationale: "Tuning it changes nothing: experiments over `smooth` or `gamma` silently compare identical runs. Usually a literal was typed where the parameter was meant.",
        detection: "A parameter with a default value (or an attribute stored on `self` in `__init__`) is never read by the loss's code.",
        fix: "Use the parameter where the literal stands, or remove it.",
        example: "def dice_loss(y_true, y_pred, smooth=1.0):\n    i = (y_true * y_pred).sum()\n    return 1 - (2 * i + 1.0) / (y_true.sum() + y_pred.sum() + 1.0)\n",
        useInstead: "def dice_loss(y_true, y_pred, smooth=1.0):\n    i = (y_true * y_pred).sum()\n    return 1 - (2 * i + smooth) / (y_true.sum() + y_pred.sum() + smooth)\n",
        triggeringLosses: [], passingLosses: []
    )
}

/// LD605: a hyper-parameter accepted but never used.
struct UnusedParameterRule: Rule {
    var reads: RuleInput { .source }
    var description: RuleDescription { .unusedParameter }

    /// Discovery lists the parameters the loss's code never reads (`LossCandidate.unusedParameters`).
    func check(_ evidence: Evidence) -> [Finding] {
        evidence.sourceFacts.compactMap { fact in
            guard case .unusedParameter(let name, let owner) = fact.kind else { return nil }
            return finding("the parameter `\(name)` of `\(owner)` is accepted but never used", at: fact,
                           notes: ["changing it changes nothing: a literal probably stands where it was meant"])
        }
    }
}
