/// "Did you mean 'X'?": the closest known name by edit distance.
enum Suggestion {
    /// The candidate nearest to `input` (case-insensitive Levenshtein distance), when it is near enough to be a
    /// typo: at most 2 edits, or a third of the input's length for long names. Ties go to the earlier candidate.
    static func closest(to input: String, among candidates: [String]) -> String? {
        let key = input.lowercased()
        let limit = Swift.max(2, key.count / 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(key, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// The number of single-character insertions, deletions and substitutions turning `a` into `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return a.count + b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
