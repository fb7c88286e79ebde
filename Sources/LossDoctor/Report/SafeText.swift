/// Text from a pull request (messages, names, paths, quoted source lines) made safe to print: a loss that
/// raises `"\n::error file=...::forged"`, a file named with a newline or an ANSI escape, or a bidi override
/// in a comment must not forge CI workflow commands, drive the terminal, or hide what a line says.
/// Every human-readable output goes through here; JSON and SARIF escape by their own grammar.
enum SafeText {
    /// `text` with every control character, escape sequence, bidi control and line separator shown
    /// escaped as Python would write it (`\n`, `\x1b`, `\u202e`); tabs kept with `keepTabs` (source lines),
    /// line feeds with `keepNewlines` (for a format that encodes them itself).
    static func escaped(_ text: String, keepTabs: Bool = false, keepNewlines: Bool = false) -> String {
        func escapes(_ scalar: Unicode.Scalar) -> Bool {
            needsEscape(scalar, keepTabs: keepTabs) && !(keepNewlines && scalar == "\n")
        }
        guard text.unicodeScalars.contains(where: escapes) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard escapes(scalar) else { out.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                                            : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out
    }

    /// C0 and C1 controls and DEL, the bidi embeddings, overrides, isolates and marks, and the Unicode line
    /// and paragraph separators (which some terminals and log viewers break lines at).
    static func needsEscape(_ scalar: Unicode.Scalar, keepTabs: Bool = false) -> Bool {
        switch scalar.value {
        case 0x09: return !keepTabs
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0xFEFF: return true
        default: return false
        }
    }

    /// Characters of a source line quoted under a finding.
    static let sourceWidth = 160

    /// A source line as quoted, and the column (1-based, in the quoted text) the caret goes under: escaped,
    /// and when longer than `sourceWidth` a slice around `column` with `...` marking what was cut (a
    /// minified 1 MB line must not be printed whole, once per finding).
    static func sourceLine(_ line: Substring, column: Int) -> (text: String, column: Int) {
        let characters = Array(line)
        let target = Swift.min(Swift.max(column - 1, 0), characters.count)
        var start = 0, end = characters.count
        if characters.count > sourceWidth {
            start = Swift.max(0, Swift.min(target - sourceWidth / 4, characters.count - sourceWidth))
            end = start + sourceWidth
        }
        let prefix = start > 0 ? "..." : ""
        let before = escaped(String(characters[start..<Swift.max(start, target)]), keepTabs: true)
        let text = prefix + escaped(String(characters[start..<end]), keepTabs: true) + (end < characters.count ? "..." : "")
        return (text, prefix.count + before.count + 1)
    }

    /// Rendered text whose lines cannot start with `::` (a GitHub workflow command): the first colon of
    /// such a line is shown as `\x3a`. Only `--format github` writes real annotations.
    static func withoutCommands(_ text: String) -> String {
        guard text.hasPrefix("::") || text.contains("\n::") else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("::") ? "\\x3a" + $0.dropFirst() : $0 }
            .joined(separator: "\n")
    }
}
