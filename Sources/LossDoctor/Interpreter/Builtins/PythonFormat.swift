#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Python's string formatting as losses use it in messages: f-strings (`f"{x:.3f}"`, `{x!r}`),
/// `str.format` and the format-spec mini-language (fill, align, sign, width, `,`, precision, and the
/// types `d f e g % s`), so that a message a loss raises reads as Python would print it.
extension Interpreter {
    /// Evaluates the raw text of an f-string in `scope`. With `contentStart` (where the text starts in the
    /// file), the fields' errors and ops are located in the field; else at the literal.
    func formatted(_ raw: String, in scope: Scope, at here: SourceSite, contentStart: SourcePosition? = nil,
                   nesting: Int = 0) throws -> String {
        var output = ""
        var characters = Array(raw)
        characters.append("\u{0}")  // a sentinel: no index check below reads past the end
        // Where characters[scanned] is in the file, moved forward field by field (columns count scalars).
        var scanned = 0
        var scannedPosition = contentStart
        func position(of index: Int) -> SourcePosition? {
            guard var p = scannedPosition else { return nil }
            while scanned < index {
                if characters[scanned] == "\n" { p = SourcePosition(line: p.line + 1, column: 1) } else { p.column += characters[scanned].unicodeScalars.count }
                scanned += 1
            }
            scannedPosition = p
            return p
        }
        var i = 0
        while i < characters.count - 1 {
            let c = characters[i]
            if c == "{" && characters[i + 1] == "{" { output.append("{"); i += 2; continue }
            if c == "}" && characters[i + 1] == "}" { output.append("}"); i += 2; continue }
            if c == "\\" {
                output.append(Self.escaped(characters[i + 1]))
                i += 2
                continue
            }
            guard c == "{" else { output.append(c); i += 1; continue }
            // The field: an expression up to a top-level `!`, `:` or `}` (brackets and quotes nest).
            var depth = 0, j = i + 1
            var quote: Character?
            var expressionEnd: Int?
            while j < characters.count - 1 {
                let d = characters[j]
                if let q = quote {
                    if d == q { quote = nil }
                } else if d == "'" || d == "\"" {
                    quote = d
                } else if "([{".contains(d) {
                    depth += 1
                } else if ")]".contains(d) || (d == "}" && depth > 0) {
                    depth -= 1
                } else if depth == 0 && (d == "}" || d == ":" || (d == "!" && characters[j + 1] != "=")) {
                    expressionEnd = j
                    break
                }
                j += 1
            }
            guard let end = expressionEnd else { throw InterpreterError(.pythonError, "SyntaxError: f-string: expecting '}'", at: here) }
            var source = String(characters[(i + 1)..<end])
            // `f"{x=}"` prints the expression's text too.
            var prefix = ""
            if source.hasSuffix("="), !source.hasSuffix("==") { source.removeLast(); prefix = source + "=" }
            let leading = source.prefix { $0 == " " || $0 == "\t" || $0 == "\n" }.count
            let fieldStart = position(of: i + 1 + leading)
            let expression: Expr
            do {
                expression = try parseExpression(source.trimmingCharacters(), maximumNestingDepth: limits.nestingDepth,
                                                 origin: fieldStart ?? SourcePosition(line: here.line, column: here.column))
            } catch {
                throw InterpreterError(.pythonError, "SyntaxError: f-string: \(error.message)",
                                       at: fieldStart == nil ? here : site(error.location))
            }
            let value = try evaluate(expression, in: scope)
            var k = end
            var conversion: Character?
            if characters[k] == "!" { conversion = characters[k + 1]; k += 2 }
            var spec = ""
            if characters[k] == ":" {
                k += 1
                var nested = 0
                while k < characters.count - 1, characters[k] != "}" || nested > 0 {
                    if characters[k] == "{" { nested += 1 } else if characters[k] == "}" { nested -= 1 }
                    spec.append(characters[k])
                    k += 1
                }
                if spec.contains("{") {  // `{x:.{digits}f}`; Python allows one level of nesting
                    guard nesting < 1 else { throw InterpreterError(.pythonError, "SyntaxError: f-string: expressions nested too deeply", at: here) }
                    spec = try formatted(spec, in: scope, at: here, nesting: nesting + 1)
                }
            }
            guard characters[k] == "}" else { throw InterpreterError(.pythonError, "SyntaxError: f-string: expecting '}'", at: here) }
            output += prefix + (try format(value, conversion: conversion, spec: spec, at: here))
            try allocate(bytes: output.utf8.count, at: here)
            i = k + 1
        }
        return output
    }

    private static func escaped(_ c: Character) -> String {
        switch c {
        case "n": "\n"
        case "t": "\t"
        case "\\": "\\"
        case "'": "'"
        case "\"": "\""
        default: "\\" + String(c)
        }
    }

    /// `format(value, spec)` after an optional `!r`/`!s` conversion.
    func format(_ value: Value, conversion: Character? = nil, spec: String, at here: SourceSite) throws -> String {
        var value = value
        if conversion == "r" || conversion == "a" {
            value = .string(repr(value))
        } else if conversion == "s" {
            value = .string(display(value))
        }
        return try Self.apply(spec: spec, to: value, display: display, at: here)
    }

    /// Python's `repr`: strings quoted.
    func repr(_ value: Value) -> String {
        if case .string(let s) = value { return "'" + s + "'" }
        return display(value)
    }

    /// `"{} and {name:.2f}".format(...)`.
    func formatMethod(_ template: String, _ positional: [Value], _ keywords: [(name: String, value: Value)], at here: SourceSite) throws -> String {
        var output = ""
        let characters = Array(template) + ["\u{0}"]
        var automatic = 0
        var i = 0
        while i < characters.count - 1 {
            let c = characters[i]
            if c == "{" && characters[i + 1] == "{" { output.append("{"); i += 2; continue }
            if c == "}" && characters[i + 1] == "}" { output.append("}"); i += 2; continue }
            guard c == "{" else { output.append(c); i += 1; continue }
            var j = i + 1
            var field = ""
            var nested = 0  // `{0:{1}}`: a replacement field inside the spec
            while j < characters.count - 1, characters[j] != "}" || nested > 0 {
                if characters[j] == "{" { nested += 1 } else if characters[j] == "}" { nested -= 1 }
                field.append(characters[j])
                j += 1
            }
            guard characters[j] == "}" else { throw InterpreterError(.pythonError, "ValueError: Single '{' encountered in format string", at: here) }
            var spec = ""
            if let colon = field.firstIndex(of: ":") { spec = String(field[field.index(after: colon)...]); field = String(field[..<colon]) }
            if spec.contains("{") {
                // One nested field, as Python allows; deeper nesting would recurse once per brace.
                guard spec.filter({ $0 == "{" }).count == 1 else {
                    throw InterpreterError(.pythonError, "ValueError: Max string recursion exceeded", at: here)
                }
                spec = try formatMethod(spec, positional, keywords, at: here)
            }
            var conversion: Character?
            if let bang = field.firstIndex(of: "!") {
                conversion = field[field.index(after: bang)...].first
                field = String(field[..<bang])
            }
            let value: Value
            if field.isEmpty {
                guard automatic < positional.count else { throw InterpreterError(.pythonError, "IndexError: Replacement index \(automatic) out of range for positional args tuple", at: here) }
                value = positional[automatic]
                automatic += 1
            } else if let n = Int(field) {
                guard n >= 0, n < positional.count else { throw InterpreterError(.pythonError, "IndexError: Replacement index \(n) out of range for positional args tuple", at: here) }
                value = positional[n]
            } else if let match = keywords.first(where: { $0.name == field }) {
                value = match.value
            } else {
                throw InterpreterError(.pythonError, "KeyError: '\(field)'", at: here)
            }
            output += try format(value, conversion: conversion, spec: spec, at: here)
            try allocate(bytes: output.utf8.count, at: here)
            i = j + 1
        }
        return output
    }

    /// The format-spec mini-language: `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
    static func apply(spec: String, to value: Value, display: (Value) -> String, at here: SourceSite) throws -> String {
        var s = Array(spec)
        var fill: Character = " ", align: Character?
        if s.count >= 2, "<>^=".contains(s[1]) { fill = s[0]; align = s[1]; s.removeFirst(2) }
        else if let first = s.first, "<>^=".contains(first) { align = first; s.removeFirst() }
        var sign: Character = "-"
        if let first = s.first, "+- ".contains(first) { sign = first; s.removeFirst() }
        if s.first == "#" { s.removeFirst() }
        if s.first == "0" { if align == nil { fill = "0"; align = "=" }; s.removeFirst() }
        var width = 0
        while let d = s.first, let n = d.wholeNumberValue { width = Swift.min(width * 10 + n, 10_000); s.removeFirst() }
        var grouping: Character?
        if let first = s.first, first == "," || first == "_" { grouping = first; s.removeFirst() }
        var precision: Int?
        if s.first == "." {
            s.removeFirst()
            var p = 0
            while let d = s.first, let n = d.wholeNumberValue { p = Swift.min(p * 10 + n, 100); s.removeFirst() }
            precision = p
        }
        let type = s.first
        guard s.count <= 1 else { throw InterpreterError(.pythonError, "ValueError: Invalid format specifier '\(spec)'", at: here) }

        var body: String
        var negative = false
        var number: Double? = value.number
        if case .tensor(let t) = value, t.count == 1 { number = Double(t.scalars[0]) }
        if case .string(let text) = value {
            guard type == nil || type == "s" else { throw InterpreterError(.pythonError, "ValueError: Unknown format code '\(type!)' for object of type 'str'", at: here) }
            body = precision.map { String(text.prefix($0)) } ?? text
            return pad(body, width: width, fill: fill, align: align ?? "<")
        }
        guard let x = number, type != nil || precision != nil || grouping != nil || sign != "-" else {
            return pad(display(value), width: width, fill: fill, align: align ?? (value.number == nil ? "<" : ">"))
        }
        negative = x < 0 || (x == 0 && x.sign == .minus && type != "d")
        let magnitude = Swift.abs(x)
        switch type {
        case "d":
            guard case .int(let i) = value else { throw InterpreterError(.pythonError, "ValueError: Unknown format code 'd' for object of type '\(value.typeName)'", at: here) }
            body = String(i.magnitude)
        case "f", "F": body = cFormat("%.*f", precision ?? 6, magnitude)
        case "e", "E": body = cFormat(type == "e" ? "%.*e" : "%.*E", precision ?? 6, magnitude)
        case "%": body = cFormat("%.*f", precision ?? 6, magnitude * 100) + "%"
        case "g", "G", nil:
            if type == nil, precision == nil {
                if case .int(let i) = value { body = String(i.magnitude) } else { body = display(.float(magnitude)) }
            } else {
                body = cFormat(type == "G" ? "%.*G" : "%.*g", Swift.max(precision ?? 6, 1), magnitude)
            }
        default:
            throw InterpreterError(.pythonError, "ValueError: Unknown format code '\(type!)' for object of type '\(value.typeName)'", at: here)
        }
        if let grouping {
            let integerEnd = body.firstIndex { !$0.isNumber } ?? body.endIndex
            var digits = Array(body[..<integerEnd])
            var grouped = ""
            while digits.count > 3 { grouped = String(grouping) + String(digits.suffix(3)) + grouped; digits.removeLast(3) }
            body = String(digits) + grouped + body[integerEnd...]
        }
        let signText = negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : ""
        if align == "=" {
            return signText + pad(body, width: width - signText.count, fill: fill, align: ">")
        }
        return pad(signText + body, width: width, fill: fill, align: align ?? ">")
    }

    private static func pad(_ text: String, width: Int, fill: Character, align: Character) -> String {
        let missing = width - text.count
        guard missing > 0 else { return text }
        let filler = { (n: Int) in String(repeating: String(fill), count: n) }
        switch align {
        case "<": return text + filler(missing)
        case "^": return filler(missing / 2) + text + filler(missing - missing / 2)
        default: return filler(missing) + text
        }
    }

    private static func cFormat(_ format: String, _ precision: Int, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        let written = withVaList([Int32(precision), value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 512, format, arguments) }
        }
        guard written >= 0 else { return "" }
        if written >= 512 { return value.isFinite ? String(value) : "inf" }  // `{1e300:.100f}`: beyond the buffer
        return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `"%s: %.3f" % (name, value)`: printf-style formatting (`%s %r %d %i %f %e %g %x %%`, flags,
    /// width and precision), through the same mini-language as `format`.
    func percentFormat(_ template: String, _ arguments: Value, at here: SourceSite) throws -> String {
        var values: [Value]
        switch arguments {
        case .tuple(let items): values = items
        default: values = [arguments]
        }
        var output = ""
        let characters = Array(template) + ["\u{0}"]
        var i = 0
        while i < characters.count - 1 {
            guard characters[i] == "%" else { output.append(characters[i]); i += 1; continue }
            i += 1
            if characters[i] == "%" { output.append("%"); i += 1; continue }
            var flags = ""
            while "-+ 0#".contains(characters[i]), characters[i] != "\u{0}" { flags.append(characters[i]); i += 1 }
            var width = ""
            while characters[i].isWholeNumber { width.append(characters[i]); i += 1 }
            var precision = ""
            if characters[i] == "." {
                precision = "."
                i += 1
                while characters[i].isWholeNumber { precision.append(characters[i]); i += 1 }
                if precision == "." { precision = ".0" }
            }
            let type = characters[i]
            guard type != "\u{0}" else { throw InterpreterError(.pythonError, "ValueError: incomplete format", at: here) }
            i += 1
            guard !values.isEmpty else { throw InterpreterError(.pythonError, "TypeError: not enough arguments for format string", at: here) }
            var value = values.removeFirst()
            var specType = String(type)
            switch type {
            case "s": value = .string(display(value)); specType = ""
            case "r", "a": value = .string(repr(value)); specType = ""
            case "d", "i", "u":
                if let n = value.number, !value.isText { value = .int(Int(exactly: n.rounded(.towardZero)) ?? 0) }
                specType = "d"
            case "f", "F", "e", "E", "g", "G":
                if let n = value.number, !value.isText { value = .float(n) }
            default:
                throw InterpreterError(.pythonError, "ValueError: unsupported format character '\(type)'", at: here)
            }
            let align = flags.contains("-") ? "<" : (value.number != nil ? ">" : ">")
            let sign = flags.contains("+") ? "+" : flags.contains(" ") ? " " : ""
            let zero = flags.contains("0") && !flags.contains("-") ? "0" : ""
            let spec = (width.isEmpty ? "" : align) + sign + zero + width + precision + specType
            output += try format(value, spec: spec, at: here)
            try allocate(bytes: output.utf8.count, at: here)
        }
        guard values.isEmpty || { if case .tuple = arguments { false } else { true } }() else {
            throw InterpreterError(.pythonError, "TypeError: not all arguments converted during string formatting", at: here)
        }
        return output
    }
}
