extension RuleDescription {
    static let removedAPI = RuleDescription(
        code: "LD601", name: "removed-api", severity: .warning,
        summary: "Flags an API removed or renamed in current frameworks (`tf.log`, Keras 3's missing `keras.backend.flatten`, `np.bool`).",
        rationale: "The loss fails with an `AttributeError` as soon as the environment is upgraded, often in CI or on a colleague's machine. LossDoctor evaluates it with its old meaning, so the other findings still hold.",
        detection: "A call or attribute resolves to a name in LossDoctor's table of removed APIs (TensorFlow 1 names, Keras 2 backend functions, NumPy aliases removed in 1.24). One finding per API and file, at its first use; the other uses are listed in a note.",
        fix: "Use the current name given in the message.",
        example: "import tensorflow as tf\n\ndef bce(y_true, y_pred):\n    p = tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)\n    return -tf.reduce_mean(y_true * tf.log(p) + (1 - y_true) * tf.log(1 - p))\n",
        useInstead: "import tensorflow as tf\n\ndef bce(y_true, y_pred):\n    p = tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)\n    return -tf.reduce_mean(y_true * tf.math.log(p) + (1 - y_true) * tf.math.log(1 - p))\n",
        triggeringLosses: [], passingLosses: []
    )
}

/// LD601: an API removed or renamed in current frameworks.
struct RemovedAPIRule: Rule {
    var reads: RuleInput { .source }
    var description: RuleDescription { .removedAPI }

    /// One finding per removed API and file, at its first use: the first call already fails, so its other uses
    /// are a note, not findings of their own (`K.sum` three times in one Dice is one upgrade to make).
    func check(_ evidence: Evidence) -> [Finding] {
        var uses: [String: [SourceDiagnostic]] = [:]
        var order: [String] = []
        for diagnostic in evidence.diagnostics where diagnostic.code == description.code {
            let key = "\(diagnostic.site.file)|\(diagnostic.message)"
            if uses[key] == nil { order.append(key) }
            uses[key, default: []].append(diagnostic)
        }
        return order.map { key in
            let sorted = uses[key]!.sorted { ($0.site.line, $0.site.column) < ($1.site.line, $1.site.column) }
            let first = sorted[0]
            let others = sorted.dropFirst().map { "\($0.site.line):\($0.site.column)" }
            let notes = first.notes + (others.isEmpty ? [] : ["also used at \(others.joined(separator: ", "))"])
            return description.finding(first.message, severity: first.severity, notes: notes, site: first.site, fix: first.fix)
        }
    }
}
