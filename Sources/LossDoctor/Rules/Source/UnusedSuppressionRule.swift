extension RuleDescription {
    static let unusedSuppression = RuleDescription(
        code: "LD606", name: "unused-suppression", severity: .info,
        summary: "Reports a suppression comment (`# loss-doctor: ignore[...]`, `# noqa: LD...`) that silences no finding, names no rule, or cannot be read.",
        rationale: """
            A suppression outlives the finding it silenced: once the loss is fixed, the stale comment waits on \
            that line and hides the next, possibly different, defect of that rule there. A misspelt code or \
            directive silences nothing at all, while the author believes the finding is handled. Like ruff's \
            unused `noqa` and ESLint's unused disable directives, LossDoctor reports them. It is info, not a \
            defect of the loss: the verdict stays the same; fail on it with `--fail-on info` or select it alone.
            """,
        detection: """
            After checking every loss of a file, each `# loss-doctor: ignore[CODES]` and each LD code of a \
            `# noqa:` that silenced no finding is reported, as is an unknown code or directive. Not reported: a \
            bare `# noqa` (it belongs to every linter); training rules (LD5xx) when the simulated run was \
            skipped; suppressions in a file whose losses could not be evaluated; with `--function`, suppressions \
            outside the checked loss.
            """,
        fix: "Remove the suppression, or the codes in it that no longer fire.",
        example: """
            def dice_loss(y_true, y_pred):
                i = (y_true * y_pred).sum()
                return 1 - (2 * i + 1) / (y_true.sum() + y_pred.sum() + 1)  # loss-doctor: ignore[LD101]

            """,
        useInstead: """
            def dice_loss(y_true, y_pred):
                i = (y_true * y_pred).sum()
                return 1 - (2 * i + 1) / (y_true.sum() + y_pred.sum() + 1)

            """,
        triggeringLosses: [], passingLosses: []
    )
}

/// LD606: a suppression comment that silences nothing. The suppressions themselves are read and applied
/// in `Configuration/Suppressions.swift`; this file says what the finding is and how it reads.
struct UnusedSuppressionRule: Rule {
    var description: RuleDescription { .unusedSuppression }

    /// Found by `FileSuppressions.apply`, not from the evidence.
    func check(_ evidence: Evidence) -> [Finding] { [] }

    /// Codes (nil: every rule) that the suppression names but that produced no finding where it applies.
    func unused(_ suppression: Suppression, codes: [String]?) -> Finding {
        let text = suppression.site.text.map { "`\($0)`" } ?? "suppression"
        guard let codes else {
            return finding("unused suppression \(text): no finding where it applies", site: suppression.site)
        }
        let what = codes.count == 1 ? "no \(codes[0]) finding" : "no finding of \(codes.joined(separator: ", "))"
        let partly = codes.count < (suppression.codes?.count ?? 0)
        return finding("unused suppression \(text): \(what) where it applies", site: suppression.site,
                       fix: partly ? "Remove \(codes.joined(separator: ", ")) from the suppression." : description.fix)
    }

    /// Names in the brackets that are no rule.
    func unknownRules(_ suppression: Suppression) -> Finding {
        let names = suppression.unknown.map { "`\($0)`" }.joined(separator: ", ")
        let suggestions = suppression.unknown.compactMap { RuleSelector.suggestion(for: $0).map { "did you mean \($0)?" } }
        return finding("suppression names no rule: \(names)", notes: suggestions, site: suppression.site,
                       fix: "Write a rule code (LD101) or name (floor-division); 'loss-doctor list rules' lists them.")
    }

    /// A `# loss-doctor:` comment that is not a directive.
    func malformed(_ suppression: Suppression, _ reason: Suppression.Malformed) -> Finding {
        let why = switch reason {
        case .unknownDirective(let word): "unknown directive `\(word)` (the directive is `ignore` or `ignore[CODES]`)"
        case .expectedBracket(let found): "expected `[` after `ignore`, found `\(found)`"
        case .missingBracket: "missing `]` after the rule codes"
        case .noCodes: "no rule codes between the brackets (write `ignore` alone to silence every rule)"
        }
        return finding("malformed suppression: \(why)", site: suppression.site,
                       fix: "Write `# loss-doctor: ignore[LD101]`, or `# loss-doctor: ignore` for every rule.")
    }
}
