/// A small TOML reader of our own (the package has no dependencies), enough to read any `pyproject.toml`
/// and find `[tool.loss-doctor]` in it: tables, arrays of tables, dotted and quoted keys, the four kinds
/// of string, booleans, numbers, arrays, inline tables. Dates and times are kept as text (nothing we read
/// is a date). Every value remembers its line, so a bad setting is reported where it is written; a
/// malformed file is an error with its line, never read halfway.
struct TOMLValue: Equatable, Sendable {
    indirect enum Kind: Equatable, Sendable {
        case string(String)
        case bool(Bool)
        case integer(Int)
        case float(Double)
        /// An offset or local date-time, date or time, as written.
        case dateTime(String)
        case array([TOMLValue])
        case table([String: TOMLValue])
    }

    var kind: Kind
    /// The 1-based line where the value (or the table's header) starts.
    var line: Int

    /// The value as a table's members, if it is a table.
    var table: [String: TOMLValue]? {
        if case .table(let members) = kind { members } else { nil }
    }

    /// The type's name as TOML users say it, for messages: `a string`, `an array`.
    var typeName: String {
        switch kind {
        case .string: "a string"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .float: "a float"
        case .dateTime: "a date-time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// Why a TOML document could not be read, and where.
struct TOMLError: Error, Equatable {
    /// Lowercase, no trailing period.
    let message: String
    let line: Int
}

/// Parses TOML text into its root table.
enum TOMLReader {
    /// Arrays and inline tables nested in each other, and parts of a dotted key: each level recurses
    /// once in the parser (and in freeing the value), so `a = [[[[...` must stop long before the stack does.
    static let maximumNesting = 64

    /// Parses on the large stack (as Python source is), within `maximumNesting`.
    static func parse(_ text: String) throws(TOMLError) -> [String: TOMLValue] {
        try LargeStack.run { () throws(TOMLError) -> [String: TOMLValue] in
            var parser = Parser(text)
            return try parser.document()
        }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var line = 1
        var root: [String: TOMLValue] = [:]
        /// The key path of the table that key/value lines currently fill.
        var current: [String] = []
        /// Header paths defined by `[a.b]`, to refuse a table defined twice.
        var definedHeaders: Set<[String]> = []
        /// Arrays and inline tables open around the current value.
        var depth = 0

        init(_ text: String) {
            scalars = Array(text.unicodeScalars)
        }

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        func peek(_ offset: Int) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }

        func error(_ message: String) -> TOMLError { TOMLError(message: message, line: line) }

        mutating func document() throws(TOMLError) -> [String: TOMLValue] {
            while true {
                skipBlank(newlines: true)
                guard let c = peek else { return root }
                if c == "[" {
                    try header()
                } else {
                    let start = line
                    let keys = try key()
                    skipBlank(newlines: false)
                    guard peek == "=" else { throw error("expected '=' after the key '\(keys.joined(separator: "."))'") }
                    index += 1
                    skipBlank(newlines: false)
                    let value = try value()
                    try insert(value, at: current, keys: keys, line: start)
                }
                try endOfLine()
            }
        }

        /// Spaces, tabs and comments; with `newlines`, line breaks too.
        mutating func skipBlank(newlines: Bool) {
            while let c = peek {
                if c == " " || c == "\t" {
                    index += 1
                } else if c == "#" {
                    while let d = peek, d != "\n" { index += 1 }
                } else if newlines && (c == "\n" || (c == "\r" && peek(1) == "\n")) {
                    index += c == "\r" ? 2 : 1
                    line += 1
                } else {
                    return
                }
            }
        }

        /// After a header or a key/value: only a comment may follow on the line.
        mutating func endOfLine() throws(TOMLError) {
            skipBlank(newlines: false)
            guard let c = peek else { return }
            if c == "\n" || (c == "\r" && peek(1) == "\n") { return }
            throw error("unexpected '\(Character(c))' after the value: one key/value or table header per line")
        }

        /// `[a.b]` or `[[a.b]]`.
        mutating func header() throws(TOMLError) {
            let isArray = peek(1) == "["
            index += isArray ? 2 : 1
            skipBlank(newlines: false)
            let keys = try key()
            skipBlank(newlines: false)
            guard peek == "]", !isArray || peek(1) == "]" else {
                throw error("expected '\(isArray ? "]]" : "]")' to close the table header")
            }
            index += isArray ? 2 : 1
            if isArray {
                try appendTable(at: keys)
            } else {
                guard definedHeaders.insert(keys).inserted else {
                    throw error("the table [\(keys.joined(separator: "."))] is defined twice")
                }
                try ensureTable(at: keys)
            }
            current = keys
        }

        /// A dotted key: bare, "basic" or 'literal' parts joined by dots.
        mutating func key() throws(TOMLError) -> [String] {
            var parts: [String] = []
            while true {
                skipBlank(newlines: false)
                guard let c = peek else { throw error("expected a key") }
                if c == "\"" {
                    parts.append(try basicString())
                } else if c == "'" {
                    parts.append(try literalString())
                } else {
                    var bare = ""
                    while let d = peek, ("a"..."z").contains(d) || ("A"..."Z").contains(d) || ("0"..."9").contains(d)
                            || d == "_" || d == "-" {
                        bare.unicodeScalars.append(d)
                        index += 1
                    }
                    guard !bare.isEmpty else { throw error("expected a key, found '\(Character(c))'") }
                    parts.append(bare)
                }
                skipBlank(newlines: false)
                guard peek == "." else { return parts }
                guard parts.count < TOMLReader.maximumNesting else {
                    throw error("a dotted key of more than \(TOMLReader.maximumNesting) parts")
                }
                index += 1
            }
        }

        mutating func value() throws(TOMLError) -> TOMLValue {
            let start = line
            guard let c = peek else { throw error("expected a value") }
            switch c {
            case "\"":
                if peek(1) == "\"" && peek(2) == "\"" { return TOMLValue(kind: .string(try multilineString(literal: false)), line: start) }
                return TOMLValue(kind: .string(try basicString()), line: start)
            case "'":
                if peek(1) == "'" && peek(2) == "'" { return TOMLValue(kind: .string(try multilineString(literal: true)), line: start) }
                return TOMLValue(kind: .string(try literalString()), line: start)
            case "[", "{":
                guard depth < TOMLReader.maximumNesting else {
                    throw error("arrays and inline tables nested deeper than \(TOMLReader.maximumNesting) levels")
                }
                depth += 1
                defer { depth -= 1 }
                return c == "[" ? TOMLValue(kind: .array(try array()), line: start)
                    : TOMLValue(kind: .table(try inlineTable()), line: start)
            default:
                return TOMLValue(kind: try atom(), line: start)
            }
        }

        /// `"..."` with TOML's escapes.
        mutating func basicString() throws(TOMLError) -> String {
            index += 1
            var out = ""
            while let c = peek {
                index += 1
                switch c {
                case "\"": return out
                case "\\": out.unicodeScalars.append(try escape())
                case "\n": throw error("unterminated string: a basic string ends on its line")
                default: out.unicodeScalars.append(c)
                }
            }
            throw error("unterminated string")
        }

        /// `'...'`: no escapes.
        mutating func literalString() throws(TOMLError) -> String {
            index += 1
            var out = ""
            while let c = peek {
                index += 1
                if c == "'" { return out }
                if c == "\n" { throw error("unterminated string: a literal string ends on its line") }
                out.unicodeScalars.append(c)
            }
            throw error("unterminated string")
        }

        /// `"""..."""` or `'''...'''`: a newline right after the opening quotes is dropped; in the basic
        /// form a backslash at the end of a line joins it to the next non-blank text.
        mutating func multilineString(literal: Bool) throws(TOMLError) -> String {
            let quote: Unicode.Scalar = literal ? "'" : "\""
            index += 3
            if peek == "\n" { index += 1; line += 1 } else if peek == "\r" && peek(1) == "\n" { index += 2; line += 1 }
            var out = ""
            while let c = peek {
                if c == quote && peek(1) == quote && peek(2) == quote {
                    // The last three quotes of a run close the string; up to two before them are content.
                    var run = 0
                    while peek(run) == quote { run += 1 }
                    guard run <= 5 else { throw error("too many quotes at the end of a multi-line string") }
                    for _ in 0..<(run - 3) { out.unicodeScalars.append(quote) }
                    index += run
                    return out
                }
                index += 1
                if c == "\n" { line += 1 }
                if c == "\\" && !literal {
                    var lookahead = index
                    while lookahead < scalars.count, scalars[lookahead] == " " || scalars[lookahead] == "\t" { lookahead += 1 }
                    if lookahead < scalars.count, scalars[lookahead] == "\n" || scalars[lookahead] == "\r" {
                        index = lookahead
                        while let d = peek, d == " " || d == "\t" || d == "\n" || d == "\r" {
                            if d == "\n" { line += 1 }
                            index += 1
                        }
                        continue
                    }
                    out.unicodeScalars.append(try escape())
                    continue
                }
                out.unicodeScalars.append(c)
            }
            throw error("unterminated multi-line string")
        }

        /// The character after a backslash (already consumed).
        mutating func escape() throws(TOMLError) -> Unicode.Scalar {
            guard let c = peek else { throw error("unterminated string") }
            index += 1
            switch c {
            case "b": return "\u{08}"
            case "t": return "\t"
            case "n": return "\n"
            case "f": return "\u{0C}"
            case "r": return "\r"
            case "e": return "\u{1B}"
            case "\"": return "\""
            case "\\": return "\\"
            case "u", "U":
                let count = c == "u" ? 4 : 8
                var hex = ""
                for _ in 0..<count {
                    guard let d = peek, d.properties.isASCIIHexDigit else { throw error("invalid unicode escape: \\\(c) takes \(count) hex digits") }
                    hex.unicodeScalars.append(d)
                    index += 1
                }
                guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                    throw error("invalid unicode escape \\\(c)\(hex)")
                }
                return scalar
            default:
                throw error("invalid escape '\\\(Character(c))' in a string")
            }
        }

        /// `[a, b, ...]`, over several lines if need be, with comments and a trailing comma.
        mutating func array() throws(TOMLError) -> [TOMLValue] {
            let start = line
            index += 1
            var items: [TOMLValue] = []
            while true {
                skipBlank(newlines: true)
                guard let c = peek else { throw TOMLError(message: "unterminated array (opened here)", line: start) }
                if c == "]" { index += 1; return items }
                items.append(try value())
                skipBlank(newlines: true)
                if peek == "," { index += 1; continue }
                if peek == "]" { index += 1; return items }
                if peek == nil { throw TOMLError(message: "unterminated array (opened here)", line: start) }
                throw error("expected ',' or ']' in the array")
            }
        }

        /// `{ a = 1, b.c = "x" }`.
        mutating func inlineTable() throws(TOMLError) -> [String: TOMLValue] {
            let start = line
            index += 1
            var table: [String: TOMLValue] = [:]
            while true {
                skipBlank(newlines: true)
                guard let c = peek else { throw TOMLError(message: "unterminated inline table (opened here)", line: start) }
                if c == "}" { index += 1; return table }
                let keyLine = line
                let keys = try key()
                skipBlank(newlines: false)
                guard peek == "=" else { throw error("expected '=' after the key '\(keys.joined(separator: "."))'") }
                index += 1
                skipBlank(newlines: false)
                let item = try value()
                try Self.insert(item, keys: keys[...], into: &table, line: keyLine)
                skipBlank(newlines: true)
                if peek == "," { index += 1; continue }
                if peek == "}" { index += 1; return table }
                if peek == nil { throw TOMLError(message: "unterminated inline table (opened here)", line: start) }
                throw error("expected ',' or '}' in the inline table")
            }
        }

        /// A bare value: a boolean, a number, or a date/time.
        mutating func atom() throws(TOMLError) -> TOMLValue.Kind {
            var text = ""
            func isAtomCharacter(_ c: Unicode.Scalar) -> Bool {
                c.properties.isAlphabetic || ("0"..."9").contains(c) || "+-_.:".unicodeScalars.contains(c)
            }
            while let c = peek, isAtomCharacter(c) {
                text.unicodeScalars.append(c)
                index += 1
            }
            // A date and a time may be separated by a space: `1979-05-27 07:32:00`.
            if Self.isDate(text), peek == " ", let next = peek(1), ("0"..."9").contains(next) {
                index += 1
                text += " "
                while let c = peek, isAtomCharacter(c) { text.unicodeScalars.append(c); index += 1 }
            }
            if text.isEmpty { throw error("expected a value, found '\(peek.map { String(Character($0)) } ?? "end of file")'") }
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            if let integer = Self.integer(text) { return .integer(integer) }
            if let float = Self.float(text) { return .float(float) }
            if Self.isDate(text) || Self.isTime(text) { return .dateTime(text) }
            throw error("invalid value '\(text)' (strings need quotes)")
        }

        static func integer(_ text: String) -> Int? {
            var body = Substring(text)
            var sign = 1
            if body.first == "+" || body.first == "-" { sign = body.first == "-" ? -1 : 1; body = body.dropFirst() }
            var radix = 10
            if body.count > 2, body.first == "0", let r = ["x": 16, "o": 8, "b": 2][String(body.dropFirst().prefix(1))] {
                radix = r
                body = body.dropFirst(2)
            }
            guard !body.isEmpty, !body.hasPrefix("_"), !body.hasSuffix("_"), !body.contains("__") else { return nil }
            if radix == 10 && body.count > 1 && body.first == "0" { return nil }
            return Int(body.replacing("_", with: ""), radix: radix).map { $0 * sign }
        }

        static func float(_ text: String) -> Double? {
            let body = text.hasPrefix("+") || text.hasPrefix("-") ? String(text.dropFirst()) : text
            let sign: Double = text.hasPrefix("-") ? -1 : 1
            if body == "inf" { return sign * .infinity }
            if body == "nan" { return .nan }
            guard body.first?.isNumber == true, body.last?.isNumber == true, !body.contains("__"),
                  body.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return nil }
            return Double(body.replacing("_", with: "")).map { sign * $0 }
        }

        static func isDate(_ text: String) -> Bool {
            text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9:.]+([Zz]|[+-][0-9:]+)?)?/) != nil
        }

        static func isTime(_ text: String) -> Bool {
            text.wholeMatch(of: /[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9:]+)?/) != nil
        }

        // MARK: building the document

        /// Puts `value` at `table` + `keys` (dotted keys make the tables between).
        mutating func insert(_ value: TOMLValue, at table: [String], keys: [String], line: Int) throws(TOMLError) {
            try Self.modify(&root, path: table[...], line: line) { (members: inout [String: TOMLValue]) throws(TOMLError) in
                try Self.insert(value, keys: keys[...], into: &members, line: line)
            }
        }

        static func insert(_ value: TOMLValue, keys: ArraySlice<String>, into table: inout [String: TOMLValue], line: Int) throws(TOMLError) {
            let key = keys.first!
            if keys.count == 1 {
                guard table[key] == nil else { throw TOMLError(message: "the key '\(key)' is defined twice", line: line) }
                table[key] = value
                return
            }
            var child = table[key] ?? TOMLValue(kind: .table([:]), line: line)
            guard case .table(var members) = child.kind else {
                throw TOMLError(message: "the key '\(key)' is \(child.typeName), not a table", line: line)
            }
            try insert(value, keys: keys.dropFirst(), into: &members, line: line)
            child.kind = .table(members)
            table[key] = child
        }

        mutating func ensureTable(at path: [String]) throws(TOMLError) {
            try Self.modify(&root, path: path[...], line: line) { (_: inout [String: TOMLValue]) throws(TOMLError) in }
        }

        /// `[[path]]`: a new table at the end of the array at `path`.
        mutating func appendTable(at path: [String]) throws(TOMLError) {
            let line = self.line
            try Self.modify(&root, path: path.dropLast(), line: line) { (members: inout [String: TOMLValue]) throws(TOMLError) in
                let key = path.last!
                var array = members[key] ?? TOMLValue(kind: .array([]), line: line)
                guard case .array(var items) = array.kind else {
                    throw TOMLError(message: "the key '\(key)' is \(array.typeName), not an array of tables", line: line)
                }
                items.append(TOMLValue(kind: .table([:]), line: line))
                array.kind = .array(items)
                members[key] = array
            }
        }

        /// Runs `body` on the table at `path`, creating tables on the way; an array of tables on the way
        /// means its last table.
        static func modify(_ table: inout [String: TOMLValue], path: ArraySlice<String>, line: Int,
                           _ body: (inout [String: TOMLValue]) throws(TOMLError) -> Void) throws(TOMLError) {
            guard let key = path.first else { return try body(&table) }
            var child = table[key] ?? TOMLValue(kind: .table([:]), line: line)
            switch child.kind {
            case .table(var members):
                try modify(&members, path: path.dropFirst(), line: line, body)
                child.kind = .table(members)
            case .array(var items) where items.last?.table != nil:
                var members = items[items.count - 1].table!
                try modify(&members, path: path.dropFirst(), line: line, body)
                items[items.count - 1].kind = .table(members)
                child.kind = .array(items)
            default:
                throw TOMLError(message: "the key '\(key)' is \(child.typeName), not a table", line: line)
            }
            table[key] = child
        }
    }
}
