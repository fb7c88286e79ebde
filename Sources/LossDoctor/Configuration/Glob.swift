/// Glob patterns for `per-file-ignores`, with the meaning ruff and `.gitignore` users expect: `*` any run
/// of characters within one path segment, `**` any number of segments, `?` one character, `[abc]` /
/// `[a-z]` / `[!abc]` one character of a set. Paths use `/`.
struct Glob: Sendable, Equatable {
    let pattern: String

    init(_ pattern: String) {
        self.pattern = pattern
    }

    /// Whether `path` (relative to the configuration's directory) matches. A pattern without a slash
    /// also matches the file's name in any directory (`"__init__.py"`, `"test_*.py"`).
    func matches(_ path: String) -> Bool {
        let path = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        let pattern = pattern.hasPrefix("./") ? String(pattern.dropFirst(2)) : pattern
        if Self.match(Array(pattern), Array(path)) { return true }
        if !pattern.contains("/"), let name = path.split(separator: "/").last {
            return Self.match(Array(pattern), Array(name))
        }
        return false
    }

    private static func match(_ p: [Character], _ s: [Character]) -> Bool {
        // Memoised on (pattern index, text index): `**` and `*` backtrack.
        var memo: [Int: Bool] = [:]
        func go(_ i: Int, _ j: Int) -> Bool {
            let key = i * (s.count + 1) + j
            if let known = memo[key] { return known }
            let result: Bool
            if i == p.count {
                result = j == s.count
            } else if p[i] == "*" {
                if i + 1 < p.count && p[i + 1] == "*" {
                    // `**/` also matches no directory at all: `a/**/b` matches `a/b`.
                    let next = i + 2 < p.count && p[i + 2] == "/" ? i + 3 : i + 2
                    result = go(next, j) || (j < s.count && go(i, j + 1))
                } else {
                    result = go(i + 1, j) || (j < s.count && s[j] != "/" && go(i, j + 1))
                }
            } else if j == s.count {
                result = false
            } else if p[i] == "?" {
                result = s[j] != "/" && go(i + 1, j + 1)
            } else if p[i] == "[", let close = p[(i + 1)...].firstIndex(of: "]"), close > i + 1 {
                result = inSet(Array(p[(i + 1)..<close]), s[j]) && go(close + 1, j + 1)
            } else {
                result = p[i] == s[j] && go(i + 1, j + 1)
            }
            memo[key] = result
            return result
        }
        return go(0, 0)
    }

    private static func inSet(_ set: [Character], _ c: Character) -> Bool {
        var items = set[...]
        let negated = items.first == "!" || items.first == "^"
        if negated { items = items.dropFirst() }
        var found = false
        var k = items.startIndex
        while k < items.endIndex {
            if k + 2 < items.endIndex, items[k + 1] == "-" {
                if items[k] <= c && c <= items[k + 2] { found = true }
                k += 3
            } else {
                if items[k] == c { found = true }
                k += 1
            }
        }
        return found != negated
    }
}
