/// One root cause, one finding: what follows from a loss that cannot train (or from a defect that explains
/// it) is folded into the root's notes ("and therefore: ...") instead of being reported again. The
/// consequences stay in the report, marked, at severity info: JSON lists them, text shows them as notes.
/// `stalled-training` (LD501) is never folded: it predicts the symptom users see, the constant validation loss.
enum Consequences {
    /// Root codes, most fundamental first, and the codes that follow from each.
    static let table: [(root: String, consequences: Set<String>)] = [
        // floor division, no gradient, zero gradient, graph break: the loss cannot move, so it is
        // piecewise-constant, its empty-target and all-background values are arbitrary, and it trains slowly if at all.
        ("LD101", ["LD103", "LD105", "LD303", "LD304", "LD502"]),
        ("LD102", ["LD103", "LD105", "LD303", "LD304", "LD502"]),
        ("LD107", ["LD102", "LD103", "LD105", "LD303", "LD304", "LD502"]),
        // a softmax over one channel is the constant 1: zero gradient, steps and constant values follow.
        ("LD311", ["LD103", "LD105", "LD303", "LD304", "LD502"]),
        ("LD103", ["LD105", "LD303", "LD304", "LD502"]),
        // classes pooled into one overlap: the all-background prediction scores near perfect.
        ("LD312", ["LD304"]),
    ]

    static func fold(_ findings: [Finding]) -> [Finding] {
        var result = findings
        var folded = Set<Int>()
        for (root, consequences) in table {
            guard let rootIndex = result.indices.first(where: { result[$0].code == root && !folded.contains($0) }) else { continue }
            var notes: [String] = []
            for index in result.indices where index != rootIndex && !folded.contains(index) && consequences.contains(result[index].code) {
                let consequence = result[index]
                notes.append("and therefore: \(consequence.name) (\(consequence.code)): \(consequence.message)")
                var marked = Finding(code: consequence.code, name: consequence.name, severity: .info, message: consequence.message,
                                     notes: consequence.notes, probe: consequence.probe, site: consequence.site,
                                     fix: consequence.fix, numbers: consequence.numbers)
                marked.consequenceOf = root
                marked.severityAlone = consequence.severity
                result[index] = marked
                folded.insert(index)
            }
            guard !notes.isEmpty else { continue }
            let r = result[rootIndex]
            var merged = Finding(code: r.code, name: r.name, severity: r.severity, message: r.message, notes: r.notes + notes,
                                 probe: r.probe, site: r.site, fix: r.fix, numbers: r.numbers)
            merged.consequenceOf = r.consequenceOf
            result[rootIndex] = merged
        }
        return result
    }
}
