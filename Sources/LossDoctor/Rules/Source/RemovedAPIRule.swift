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
        var uses: [Use: [SourceFact]] = [:]
        var order: [Use] = []
        for fact in evidence.sourceFacts {
            guard case .removedAPI(let api) = fact.kind else { continue }
            let use = Use(file: fact.site.file, api: api)
            if uses[use] == nil { order.append(use) }
            uses[use, default: []].append(fact)
        }
        return order.map { use in
            let sorted = uses[use]!.sorted { ($0.site.line, $0.site.column) < ($1.site.line, $1.site.column) }
            let others = sorted.dropFirst().map { "\($0.site.line):\($0.site.column)" }
            let (message, notes) = Self.words(use.api)
            return finding(message, at: sorted[0], notes: notes + (others.isEmpty ? [] : ["also used at \(others.joined(separator: ", "))"]))
        }
    }

    /// One removed API in one file.
    private struct Use: Hashable {
        let file: String
        let api: SourceFact.RemovedAPI
    }

    /// The message and notes for a removed API: its current name, and what current frameworks raise.
    private static func words(_ api: SourceFact.RemovedAPI) -> (message: String, notes: [String]) {
        switch api {
        case .kerasBackend(let name, let replacement):
            ("Keras 3's `keras.backend` has no `\(name)`: use `keras.ops.\(replacement)`",
             ["Keras 3.15: `AttributeError: module 'keras.backend' has no attribute '\(name)'` at the first call",
              "`from tensorflow.keras import backend as K` (TensorFlow 2.21) still provides `K.\(name)`"])
        case .renamed(let name, let replacement, let history):
            ("`\(name)` is removed or renamed in current frameworks: use `\(replacement)`", [history])
        case .keyword(let function, let old, let new, let raised):
            ("`\(old)=` of `\(function)` was renamed `\(new)=` in TensorFlow 2", ["TensorFlow 2: `\(raised)`"])
        }
    }
}
