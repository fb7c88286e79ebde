#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Python's `re` module, as library code uses it at import time (MONAI parses version strings with
/// `re.match("(\\d+)(.*)", part)`): `match`, `search`, `fullmatch`, `findall`, `split`, `sub`, `compile`,
/// and the match object's `group`, `groups`, `start`, `end`, `span`. Patterns run on Swift's `Regex`, with
/// Python's code-point positions. A pattern that could backtrack for ever (a repeated group that itself
/// repeats, a back-reference) is refused: user code must never hang the check.
enum RegularExpressionAPI {
    /// Python's flag values (`re.I == 2`), so `flags=re.I | re.M` combines as in Python.
    static let flags: [(names: [String], value: Int)] = [
        (["IGNORECASE", "I"], 2), (["MULTILINE", "M"], 8), (["DOTALL", "S"], 16), (["VERBOSE", "X"], 64), (["ASCII", "A"], 256),
    ]

    static let constants: [String: Int] = {
        var values = ["re.NOFLAG": 0]
        for flag in flags { for name in flag.names { values["re.\(name)"] = flag.value } }
        return values
    }()

    /// Longest subject and pattern a call may use: the checks run in well under a second.
    static let longestSubject = 100_000
    static let longestPattern = 1_000

    static let functions: [String: BuiltinFunction] = [
        "re.compile": { call in
            let args = try call.bind("pattern, flags=0")
            _ = try compile(args)
            return BuiltinValue.object("re.Pattern", state: .tuple([args["pattern"], args["flags"]]))
        },
        "re.match": { call in try search(call, "pattern, string, flags=0", .prefix) },
        "re.search": { call in try search(call, "pattern, string, flags=0", .anywhere) },
        "re.fullmatch": { call in try search(call, "pattern, string, flags=0", .whole) },
        "re.findall": { call in try findall(call.bind("pattern, string, flags=0")) },
        "re.split": { call in try split(call.bind("pattern, string, maxsplit=0, flags=0")) },
        "re.sub": { call in try substitute(call.bind("pattern, repl, string, count=0, flags=0")) },
    ]

    /// A compiled pattern's methods: the module function with the pattern and flags put back in front.
    static let patternMethods: [String: BuiltinFunction] = {
        var methods: [String: BuiltinFunction] = [:]
        for name in ["match", "search", "fullmatch", "findall", "split", "sub"] {
            guard let function = functions["re." + name] else { continue }
            // `Pattern.match(string, pos, endpos)`: the positions are not modelled; the other methods take the
            // module function's arguments after the pattern, and the pattern's own flags.
            let arguments = ["sub": 3, "split": 2][name] ?? 1
            methods[name] = { call in
                guard case .tuple(let parts)? = call.positional.first, parts.count == 2 else { return .none }
                let rest = Array(call.positional.dropFirst())
                guard rest.count <= arguments else {
                    throw InterpreterError(.unsupportedCall, "`re.Pattern.\(name)` with start and end positions is not a call LossDoctor models", at: call.site)
                }
                return try function(Call(name: "re." + name, positional: [parts[0]] + rest, keywords: call.keywords + [("flags", parts[1])],
                                         site: call.site, captured: [], interpreter: call.interpreter))
            }
        }
        return methods
    }()

    /// A match object: each group's text (or None) and code-point span, the whole match first.
    static let matchMethods: [String: BuiltinFunction] = [
        "group": { call in
            let groups = try matched(call)
            let indices = call.positional.count > 1 ? Array(call.positional.dropFirst()) : [.int(0)]
            let values = try indices.map { index in try groups[group(index, of: groups.count, call)].text }
            return values.count == 1 ? values[0] : .tuple(values)
        },
        "groups": { call in
            let args = try call.bind("self, default=None")
            return .tuple(try matched(call).dropFirst().map { if case .none = $0.text { args["default"] } else { $0.text } })
        },
        "start": { call in .int(try span(call).start) },
        "end": { call in .int(try span(call).end) },
        "span": { call in let (start, end) = try span(call); return .tuple([.int(start), .int(end)]) },
    ]

    enum Anchor { case prefix, anywhere, whole }

    private static func search(_ call: Call, _ signature: String, _ anchor: Anchor) throws -> Value {
        let args = try call.bind(signature)
        let (regex, subject) = try (compile(args), subjectText(args))
        let scalars = subject.unicodeScalars
        let found: Regex<AnyRegexOutput>.Match? = switch anchor {
        case .prefix: try regex.prefixMatch(in: subject)
        case .anywhere: try regex.firstMatch(in: subject)
        case .whole: try regex.wholeMatch(in: subject)
        }
        guard let found else { return .none }
        let groups: [Value] = found.output.map { group in
            guard let range = group.range else { return .tuple([.none, .int(-1), .int(-1)]) }
            return .tuple([.string(String(subject[range])), .int(scalars.distance(from: scalars.startIndex, to: range.lowerBound)),
                           .int(scalars.distance(from: scalars.startIndex, to: range.upperBound))])
        }
        return BuiltinValue.object("re.Match", state: .tuple(groups))
    }

    /// `findall`: the whole matches, or the one group's texts, or tuples of the groups, as Python returns them.
    private static func findall(_ args: Arguments) throws -> Value {
        let (regex, subject) = try (compile(args), subjectText(args))
        let found = subject.matches(of: regex).map { match -> Value in
            let texts: [Value] = match.output.map { group in group.range.map { .string(String(subject[$0])) } ?? .string("") }
            switch texts.count {
            case 1: return texts[0]
            case 2: return texts[1]
            default: return .tuple(Array(texts.dropFirst()))
            }
        }
        return .list(ListBox(found))
    }

    private static func split(_ args: Arguments) throws -> Value {
        let (regex, subject) = try (compile(args), subjectText(args))
        let limit = try args.int("maxsplit")
        var pieces: [Value] = [], start = subject.startIndex
        for match in subject.matches(of: regex) where limit == 0 || pieces.count < limit {
            pieces.append(.string(String(subject[start..<match.range.lowerBound])))
            // Python puts the groups' texts between the pieces.
            pieces += match.output.dropFirst().map { group in group.range.map { .string(String(subject[$0])) } ?? .none }
            start = match.range.upperBound
        }
        return .list(ListBox(pieces + [.string(String(subject[start...]))]))
    }

    /// `sub` with a replacement string; `\1` and `\g<1>` insert a group's text.
    private static func substitute(_ args: Arguments) throws -> Value {
        let (regex, subject) = try (compile(args), subjectText(args))
        guard let template = try args.string("repl") else {
            throw InterpreterError(.unsupportedCall, "`re.sub` with a function as the replacement is not a call LossDoctor models", at: args.call.site)
        }
        let limit = try args.int("count")
        var result = "", start = subject.startIndex, replaced = 0
        for match in subject.matches(of: regex) where limit == 0 || replaced < limit {
            result += subject[start..<match.range.lowerBound]
            result += try expand(template, match.output.map { group in group.range.map { String(subject[$0]) } ?? "" }, args.call)
            start = match.range.upperBound
            replaced += 1
        }
        result += subject[start...]
        try args.call.interpreter.allocate(bytes: result.utf8.count, at: args.call.site)
        return .string(result)
    }

    private static func expand(_ template: String, _ groups: [String], _ call: Call) throws -> String {
        var result = "", characters = template[...]
        while let character = characters.popFirst() {
            guard character == "\\", let next = characters.first else { result.append(character); continue }
            var reference: Int?
            if let digit = next.wholeNumberValue {
                characters.removeFirst()
                reference = digit
            } else if next == "g", characters.dropFirst().first == "<", let close = characters.firstIndex(of: ">") {
                reference = Int(characters[characters.index(characters.startIndex, offsetBy: 2)..<close])
                characters = characters[characters.index(after: close)...]
                if reference == nil { throw InterpreterError(.unsupportedCall, "`re.sub` with a named group in the replacement is not a call LossDoctor models", at: call.site) }
            } else {
                characters.removeFirst()
                let escapes: [Character: String] = ["n": "\n", "t": "\t", "\\": "\\"]
                result += escapes[next] ?? "\\\(next)"
                continue
            }
            guard let index = reference, groups.indices.contains(index) else { throw call.error("re.error: invalid group reference \(reference ?? -1)") }
            result += groups[index]
        }
        return result
    }

    private static func subjectText(_ args: Arguments) throws -> String {
        guard case .string(let subject) = args["string"] else {
            throw args.call.error("TypeError: expected string or bytes-like object, got '\(args["string"].typeName)'")
        }
        guard subject.unicodeScalars.count <= longestSubject else {
            throw InterpreterError(.limit, "`\(args.call.name)` on a string of \(subject.unicodeScalars.count) characters is over LossDoctor's limit of \(longestSubject)", at: args.call.site)
        }
        try args.call.interpreter.scan(subject, at: args.call.site)
        return subject
    }

    /// The pattern and flags as a Swift `Regex` matching Unicode scalars, as Python's `re` does.
    private static func compile(_ args: Arguments) throws -> Regex<AnyRegexOutput> {
        let call = args.call
        guard case .string(let pattern) = args["pattern"] else {
            throw call.error("TypeError: first argument must be string or compiled pattern, not '\(args["pattern"].typeName)'")
        }
        let flagBits = try args.int("flags")
        if let reason = unsafeConstruct(in: pattern) ?? (flagBits & 64 != 0 ? "the VERBOSE flag" : nil) {
            throw InterpreterError(.unsupportedCall, "a regular expression with \(reason) is not one LossDoctor evaluates", at: call.site,
                                   hint: "LossDoctor refuses patterns that can backtrack without end")
        }
        var regex: Regex<AnyRegexOutput>
        do { regex = try Regex(pattern) } catch { throw call.error("re.error: cannot compile the pattern '\(pattern)'") }
        regex = regex.matchingSemantics(.unicodeScalar)
        if flagBits & 2 != 0 { regex = regex.ignoresCase() }
        if flagBits & 8 != 0 { regex = regex.anchorsMatchLineEndings() }
        if flagBits & 16 != 0 { regex = regex.dotMatchesNewlines() }
        if flagBits & 256 != 0 { regex = regex.asciiOnlyWordCharacters().asciiOnlyDigits().asciiOnlyWhitespace() }
        return regex
    }

    /// What makes a pattern backtrack exponentially: a back-reference, or a quantified group that holds a
    /// quantifier itself (`(a+)+`). Nil when the pattern is safe (or too long to check, also refused).
    static func unsafeConstruct(in pattern: String) -> String? {
        guard pattern.count <= longestPattern else { return "more than \(longestPattern) characters" }
        var quantifiedInside: [Bool] = [], afterGroup: Bool? = nil
        var characters = pattern[...]
        let quantifiers: Set<Character> = ["*", "+", "{"]
        while let character = characters.popFirst() {
            let closedGroupHeldQuantifier = afterGroup
            afterGroup = nil
            switch character {
            case "\\":
                guard let escaped = characters.popFirst() else { break }
                if escaped.isNumber { return "a back-reference" }
                if !quantifiedInside.isEmpty, let next = characters.first, quantifiers.contains(next) { quantifiedInside[quantifiedInside.count - 1] = true }
            case "(":
                if characters.hasPrefix("?P=") { return "a back-reference" }
                quantifiedInside.append(false)
            case ")":
                afterGroup = quantifiedInside.popLast() ?? false
                if afterGroup == true, !quantifiedInside.isEmpty { quantifiedInside[quantifiedInside.count - 1] = true }
            case "[":
                // A class is one atom: skip to its end.
                if characters.first == "]" { characters.removeFirst() }
                while let inner = characters.popFirst(), inner != "]" { if inner == "\\" { _ = characters.popFirst() } }
            case _ where quantifiers.contains(character):
                if closedGroupHeldQuantifier == true { return "a repeated group that repeats inside (nested quantifiers)" }
                if !quantifiedInside.isEmpty { quantifiedInside[quantifiedInside.count - 1] = true }
            default: break
            }
        }
        return nil
    }

    private static func matched(_ call: Call) throws -> [(text: Value, start: Int, end: Int)] {
        guard case .tuple(let groups)? = call.positional.first else { throw call.error("TypeError: not a match object") }
        return groups.map { group in
            guard case .tuple(let parts) = group, parts.count == 3, case .int(let start) = parts[1], case .int(let end) = parts[2] else { return (.none, -1, -1) }
            return (parts[0], start, end)
        }
    }

    private static func group(_ index: Value, of count: Int, _ call: Call) throws -> Int {
        guard case .int(let i) = index, (0..<count).contains(i) else { throw call.error("IndexError: no such group") }
        return i
    }

    private static func span(_ call: Call) throws -> (start: Int, end: Int) {
        let groups = try matched(call)
        let index = try call.positional.count > 1 ? group(call.positional[1], of: groups.count, call) : 0
        return (groups[index].start, groups[index].end)
    }
}
