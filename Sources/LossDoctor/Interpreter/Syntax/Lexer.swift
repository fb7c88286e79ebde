/// The token stream and comments of one source file.
struct LexedSource: Sendable {
    /// The tokens, always ending with `.endOfFile`.
    var tokens: [Token]
    /// Every `#` comment in source order.
    var comments: [Comment]
}

/// Converts Python source text into tokens, following CPython's tokenizer rules for
/// indentation (INDENT/DEDENT, TabError), implicit and explicit line joining, and literals.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let maximumNestingDepth: Int
    private var position = 0
    private var line = 1
    private var lineStartPosition = 0
    private var tokens: [Token] = []
    private var comments: [Comment] = []
    /// Indentation levels measured twice, like CPython: tabs to multiples of 8, and tabs as 1,
    /// so that indentation which depends on the tab size can be rejected.
    private var indentStack: [(width: Int, widthWithUnitTabs: Int)] = [(0, 0)]
    private var openBrackets: [(scalar: Unicode.Scalar, location: SourcePosition)] = []
    private var logicalLineHasTokens = false

    /// Creates a lexer; `maximumNestingDepth` bounds bracket nesting and indentation levels. Locations
    /// count from `origin`, where `source` starts in its file.
    init(source: String, maximumNestingDepth: Int = 200, origin: SourcePosition = SourcePosition(line: 1, column: 1)) {
        // Normalise \r\n and lone \r to \n so that line counting has a single case.
        var normalized: [Unicode.Scalar] = []
        normalized.reserveCapacity(source.unicodeScalars.count)
        var previousWasCarriageReturn = false
        for scalar in source.unicodeScalars {
            if scalar == "\n" && previousWasCarriageReturn {
                previousWasCarriageReturn = false
                continue
            }
            previousWasCarriageReturn = scalar == "\r"
            normalized.append(scalar == "\r" ? "\n" : scalar)
        }
        self.scalars = normalized
        self.maximumNestingDepth = maximumNestingDepth
        self.line = origin.line
        self.lineStartPosition = 1 - origin.column
    }

    /// Tokenizes a whole source string.
    static func tokenize(_ source: String, maximumNestingDepth: Int = 200,
                         origin: SourcePosition = SourcePosition(line: 1, column: 1)) throws(SyntaxError) -> LexedSource {
        var lexer = Lexer(source: source, maximumNestingDepth: maximumNestingDepth, origin: origin)
        return try lexer.tokenize()
    }

    /// Tokenizes the source this lexer was created with.
    mutating func tokenize() throws(SyntaxError) -> LexedSource {
        var atLineStart = true
        while position < scalars.count {
            if atLineStart && openBrackets.isEmpty {
                guard try processLineStart() else { continue }
                atLineStart = false
            }
            let scalar = scalars[position]
            switch scalar {
            case " ", "\t", "\u{0C}":
                advance()
            case "#":
                readComment()
            case "\n":
                if openBrackets.isEmpty {
                    if logicalLineHasTokens {
                        let start = location
                        emit(.newline, from: start, to: SourcePosition(line: start.line, column: start.column + 1))
                    }
                    logicalLineHasTokens = false
                    atLineStart = true
                }
                advance()
            case "\\":
                guard let next = peek(1) else {
                    throw SyntaxError("unexpected EOF while parsing", at: location)
                }
                guard next == "\n" else {
                    throw SyntaxError("unexpected character after line continuation character", at: location)
                }
                advance()
                advance()
            default:
                try lexToken()
            }
        }
        if let unclosed = openBrackets.last {
            throw SyntaxError("'\(unclosed.scalar)' was never closed", at: unclosed.location)
        }
        let end = location
        if logicalLineHasTokens {
            emit(.newline, from: end, to: end)
        }
        while indentStack.count > 1 {
            indentStack.removeLast()
            emit(.dedent, from: end, to: end)
        }
        emit(.endOfFile, from: end, to: end)
        return LexedSource(tokens: tokens, comments: comments)
    }

    // MARK: - Cursor

    private var location: SourcePosition {
        SourcePosition(line: line, column: position - lineStartPosition + 1)
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < scalars.count ? scalars[index] : nil
    }

    private mutating func advance() {
        if scalars[position] == "\n" {
            line += 1
            lineStartPosition = position + 1
        }
        position += 1
    }

    private mutating func emit(_ kind: TokenKind, from start: SourcePosition, to end: SourcePosition? = nil) {
        tokens.append(Token(kind: kind, range: SourceRange(start: start, end: end ?? location)))
    }

    private mutating func readComment() {
        let start = location
        var text = String.UnicodeScalarView()
        while let scalar = peek(), scalar != "\n" {
            text.append(scalar)
            advance()
        }
        comments.append(Comment(text: String(text), location: start))
    }

    // MARK: - Indentation

    /// Measures indentation at the start of a physical line and emits INDENT/DEDENT.
    /// Returns false when the line was blank or comment-only (such lines never affect indentation).
    private mutating func processLineStart() throws(SyntaxError) -> Bool {
        var width = 0
        var widthWithUnitTabs = 0
        while let scalar = peek() {
            switch scalar {
            case " ":
                width += 1
                widthWithUnitTabs += 1
            case "\t":
                width = (width / 8 + 1) * 8
                widthWithUnitTabs += 1
            case "\u{0C}":
                width = 0
                widthWithUnitTabs = 0
            default:
                break
            }
            guard scalar == " " || scalar == "\t" || scalar == "\u{0C}" else { break }
            advance()
        }
        switch peek() {
        case nil:
            return false
        case "#":
            readComment()
            return false
        case "\n":
            advance()
            return false
        default:
            try applyIndentation(width: width, widthWithUnitTabs: widthWithUnitTabs)
            return true
        }
    }

    private mutating func applyIndentation(width: Int, widthWithUnitTabs: Int) throws(SyntaxError) {
        let tabError = SyntaxError("inconsistent use of tabs and spaces in indentation", at: location)
        let top = indentStack[indentStack.count - 1]
        if width == top.width {
            if widthWithUnitTabs != top.widthWithUnitTabs { throw tabError }
        } else if width > top.width {
            if widthWithUnitTabs <= top.widthWithUnitTabs { throw tabError }
            if indentStack.count > maximumNestingDepth {
                throw SyntaxError("too many levels of indentation", at: location)
            }
            indentStack.append((width, widthWithUnitTabs))
            emit(.indent, from: location, to: location)
        } else {
            while indentStack.count > 1 && width < indentStack[indentStack.count - 1].width {
                indentStack.removeLast()
                emit(.dedent, from: location, to: location)
            }
            let outer = indentStack[indentStack.count - 1]
            if width != outer.width {
                throw SyntaxError("unindent does not match any outer indentation level", at: location)
            }
            if widthWithUnitTabs != outer.widthWithUnitTabs { throw tabError }
        }
    }

    // MARK: - Tokens

    private mutating func lexToken() throws(SyntaxError) {
        let start = location
        let scalar = scalars[position]
        logicalLineHasTokens = true
        if Lexer.isIdentifierStart(scalar) {
            var text = String.UnicodeScalarView()
            while let next = peek(), Lexer.isIdentifierContinue(next) {
                text.append(next)
                advance()
            }
            let word = String(text)
            if let quote = peek(), quote == "'" || quote == "\"", Lexer.isStringPrefix(word) {
                try lexString(prefix: word, start: start)
            } else if let keyword = Keyword.bySpelling[word] {
                emit(.keyword(keyword), from: start)
            } else {
                emit(.name(word), from: start)
            }
        } else if Lexer.isDecimalDigit(scalar) || (scalar == "." && peek(1).map(Lexer.isDecimalDigit) == true) {
            try lexNumber(start: start)
        } else if scalar == "'" || scalar == "\"" {
            try lexString(prefix: "", start: start)
        } else if let op = matchOperator() {
            try trackBracket(op, at: start)
            for _ in 0..<op.rawValue.unicodeScalars.count { advance() }
            emit(.op(op), from: start)
        } else if scalar == "\0" {
            throw SyntaxError("source code cannot contain null bytes", at: start)
        } else if scalar.isASCII {
            throw SyntaxError("invalid syntax", at: start)
        } else {
            var hex = String(scalar.value, radix: 16, uppercase: true)
            while hex.count < 4 { hex = "0" + hex }
            throw SyntaxError("invalid character '\(scalar)' (U+\(hex))", at: start)
        }
    }

    private func matchOperator() -> Operator? {
        candidates: for (spelling, op) in Operator.spellingsLongestFirst {
            for (offset, expected) in spelling.enumerated() where peek(offset) != expected {
                continue candidates
            }
            return op
        }
        return nil
    }

    private mutating func trackBracket(_ op: Operator, at start: SourcePosition) throws(SyntaxError) {
        let closerToOpener: [Operator: Unicode.Scalar] = [.rightParen: "(", .rightBracket: "[", .rightBrace: "{"]
        switch op {
        case .leftParen, .leftBracket, .leftBrace:
            if openBrackets.count >= maximumNestingDepth {
                throw SyntaxError("too many nested parentheses", at: start)
            }
            openBrackets.append((op.rawValue.unicodeScalars.first!, start))
        case .rightParen, .rightBracket, .rightBrace:
            guard let open = openBrackets.popLast() else {
                throw SyntaxError("unmatched '\(op.rawValue)'", at: start)
            }
            if open.scalar != closerToOpener[op] {
                let onLine = open.location.line == start.line ? "" : " on line \(open.location.line)"
                throw SyntaxError(
                    "closing parenthesis '\(op.rawValue)' does not match opening parenthesis '\(open.scalar)'\(onLine)",
                    at: start)
            }
        default:
            break
        }
    }

    // MARK: - Numbers

    private mutating func lexNumber(start: SourcePosition) throws(SyntaxError) {
        let startPosition = position
        if scalars[position] == "0", let marker = peek(1), let (radix, name) = Lexer.radixPrefix(marker) {
            advance()
            advance()
            // Python allows one underscore straight after the prefix (0x_ff).
            let digits = try readDigits(radix: radix, kind: name, allowLeadingUnderscore: true, start: start)
            if digits.isEmpty || peek().map(Lexer.isIdentifierContinue) == true {
                throw SyntaxError("invalid \(name) literal", at: start)
            }
            emit(.integer(text: sourceText(from: startPosition), value: Int(digits, radix: radix)), from: start)
            return
        }
        var literal = try readDigits(radix: 10, kind: "decimal", allowLeadingUnderscore: false, start: start)
        var isFloat = false
        if peek() == "." {
            isFloat = true
            advance()
            literal += "." + (try readDigits(radix: 10, kind: "decimal", allowLeadingUnderscore: false, start: start))
        }
        if let e = peek(), e == "e" || e == "E", let next = peek(1),
           Lexer.isDecimalDigit(next) || ((next == "+" || next == "-") && peek(2).map(Lexer.isDecimalDigit) == true) {
            isFloat = true
            advance()
            literal += "e"
            if next == "+" || next == "-" {
                literal.unicodeScalars.append(next)
                advance()
            }
            literal += try readDigits(radix: 10, kind: "decimal", allowLeadingUnderscore: false, start: start)
        }
        if let suffix = peek(), suffix == "j" || suffix == "J" {
            throw SyntaxError("imaginary literals are not supported", at: start)
        }
        if let next = peek(), Lexer.isIdentifierContinue(next) {
            throw SyntaxError("invalid decimal literal", at: start)
        }
        if isFloat {
            guard let value = Double(literal) else { throw SyntaxError("invalid decimal literal", at: start) }
            emit(.float(value), from: start)
        } else {
            if literal.count > 1 && literal.first == "0" && literal.contains(where: { $0 != "0" }) {
                throw SyntaxError(
                    "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                    at: start)
            }
            emit(.integer(text: sourceText(from: startPosition), value: Int(literal)), from: start)
        }
    }

    /// Reads digits of the given radix, dropping single underscores between digits.
    private mutating func readDigits(
        radix: Int, kind: String, allowLeadingUnderscore: Bool, start: SourcePosition
    ) throws(SyntaxError) -> String {
        var digits = String.UnicodeScalarView()
        var previousWasDigit = allowLeadingUnderscore
        while let scalar = peek() {
            if Lexer.digitValue(scalar).map({ $0 < radix }) == true {
                digits.append(scalar)
                previousWasDigit = true
                advance()
            } else if scalar == "_" {
                guard previousWasDigit, let next = peek(1), Lexer.digitValue(next).map({ $0 < radix }) == true else {
                    throw SyntaxError("invalid \(kind) literal", at: start)
                }
                previousWasDigit = false
                advance()
            } else {
                break
            }
        }
        return String(digits)
    }

    private func sourceText(from startPosition: Int) -> String {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[startPosition..<position])
        return String(text)
    }

    // MARK: - Strings

    private mutating func lexString(prefix: String, start: SourcePosition) throws(SyntaxError) {
        let lowercasedPrefix = prefix.lowercased()
        let isRaw = lowercasedPrefix.contains("r")
        let isBytes = lowercasedPrefix.contains("b")
        let isFormatted = lowercasedPrefix.contains("f")
        let quote = scalars[position]
        let isTriple = peek(1) == quote && peek(2) == quote
        for _ in 0..<(isTriple ? 3 : 1) { advance() }
        let contentStart = location
        var value = String.UnicodeScalarView()
        // Inside an f-string's replacement fields (Python 3.12, PEP 701) quotes start nested strings, even
        // the f-string's own: one entry per open field, true once its format spec began.
        var fields: [Bool] = []
        while true {
            guard let scalar = peek() else {
                let what = isTriple ? "unterminated triple-quoted string literal" : "unterminated string literal"
                throw SyntaxError("\(what) (detected at line \(line))", at: start)
            }
            if isFormatted, scalar == "{" || scalar == "}" || (fields.last == false && (scalar == "'" || scalar == "\"" || scalar == ":")) {
                if try lexFormattedFieldScalar(scalar, fields: &fields, into: &value, start: start) { continue }
            }
            if scalar == quote {
                if !isTriple {
                    advance()
                    break
                }
                if peek(1) == quote && peek(2) == quote {
                    advance()
                    advance()
                    advance()
                    break
                }
            } else if scalar == "\n" && !isTriple {
                throw SyntaxError("unterminated string literal (detected at line \(line))", at: start)
            } else if scalar == "\\" {
                guard let escaped = peek(1) else {
                    advance()
                    continue  // reports the unterminated literal
                }
                if isRaw || isFormatted {
                    // The backslash stays, and protects the next character (even a quote).
                    value.append(scalar)
                    value.append(escaped)
                    advance()
                    advance()
                } else {
                    advance()
                    try decodeEscape(into: &value, isBytes: isBytes, start: start)
                }
                continue
            } else if isBytes && !scalar.isASCII {
                throw SyntaxError("bytes can only contain ASCII literal characters", at: start)
            }
            value.append(scalar)
            advance()
        }
        let kind: StringLiteralKind = isBytes ? .bytes : (isFormatted ? .formatted : .text)
        emit(.string(StringLiteral(value: String(value), kind: kind, isRaw: isRaw,
                                   contentStart: isFormatted ? contentStart : nil)), from: start)
    }

    /// Handles a brace, or a quote or colon inside a replacement field, of an f-string's text; returns
    /// whether it was consumed. `{{` and `}}` outside fields are literal braces.
    private mutating func lexFormattedFieldScalar(_ scalar: Unicode.Scalar, fields: inout [Bool],
                                                  into value: inout String.UnicodeScalarView,
                                                  start: SourcePosition) throws(SyntaxError) -> Bool {
        switch scalar {
        case "{":
            if fields.isEmpty && peek(1) == "{" { value.append("{"); value.append("{"); advance(); advance(); return true }
            guard fields.count < 8 else { throw SyntaxError("f-string: expressions nested too deeply", at: start) }
            fields.append(false)
        case "}":
            if fields.isEmpty {
                guard peek(1) == "}" else { return false }  // a lone `}`: left to the evaluation's error
                value.append("}"); value.append("}"); advance(); advance()
                return true
            }
            fields.removeLast()
        case ":":
            // A top-level colon starts the format spec, where quotes are text (`{x:'>8}`); brackets and
            // `!=` or `:=` are left to the field's own parse.
            fields[fields.count - 1] = true
        default:
            try copyNestedString(into: &value, start: start)
            return true
        }
        value.append(scalar)
        advance()
        return true
    }

    /// Copies a string literal inside an f-string's field verbatim, up to its closing quote.
    private mutating func copyNestedString(into value: inout String.UnicodeScalarView, start: SourcePosition) throws(SyntaxError) {
        let quote = scalars[position]
        let isTriple = peek(1) == quote && peek(2) == quote
        let width = isTriple ? 3 : 1
        for _ in 0..<width { value.append(quote); advance() }
        while let scalar = peek() {
            if scalar == "\\", let escaped = peek(1) { value.append(scalar); value.append(escaped); advance(); advance(); continue }
            if scalar == quote && (!isTriple || (peek(1) == quote && peek(2) == quote)) {
                for _ in 0..<width { value.append(quote); advance() }
                return
            }
            if scalar == "\n" && !isTriple { break }
            value.append(scalar)
            advance()
        }
        throw SyntaxError("unterminated string literal (detected at line \(line))", at: start)
    }

    /// Decodes the escape sequence whose backslash was just consumed.
    private mutating func decodeEscape(
        into value: inout String.UnicodeScalarView, isBytes: Bool, start: SourcePosition
    ) throws(SyntaxError) {
        let escaped = scalars[position]
        advance()
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}",
            "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}",
        ]
        if escaped == "\n" { return }  // backslash-newline continues the literal
        if let decoded = simple[escaped] {
            value.append(decoded)
            return
        }
        if let digit = Lexer.digitValue(escaped), digit < 8 {
            var code = UInt32(digit)
            for _ in 0..<2 {
                guard let next = peek(), let more = Lexer.digitValue(next), more < 8 else { break }
                code = code * 8 + UInt32(more)
                advance()
            }
            value.append(Unicode.Scalar(isBytes ? code & 0xFF : code)!)
            return
        }
        let hexLength: Int
        switch escaped {
        case "x": hexLength = 2
        case "u" where !isBytes: hexLength = 4
        case "U" where !isBytes: hexLength = 8
        default:
            // Unknown escapes (and \N{...}, which needs the Unicode name table) are kept verbatim.
            value.append("\\")
            value.append(escaped)
            return
        }
        var code: UInt32 = 0
        for _ in 0..<hexLength {
            guard let next = peek(), let digit = Lexer.digitValue(next), digit < 16 else {
                let pattern = escaped == "x" ? "\\xXX" : (escaped == "u" ? "\\uXXXX" : "\\UXXXXXXXX")
                throw SyntaxError("(unicode error) truncated \(pattern) escape", at: start)
            }
            code = code &* 16 &+ UInt32(digit)
            advance()
        }
        guard let decoded = Unicode.Scalar(code) else {
            throw SyntaxError("(unicode error) illegal Unicode character", at: start)
        }
        value.append(decoded)
    }

    // MARK: - Character classes

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        }
        return scalar.properties.isXIDStart
    }

    private static func isIdentifierContinue(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return isIdentifierStart(scalar) || isDecimalDigit(scalar)
        }
        return scalar.properties.isXIDContinue
    }

    private static func isDecimalDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "0"..."9": return Int(scalar.value - 48)
        case "a"..."f": return Int(scalar.value - 97 + 10)
        case "A"..."F": return Int(scalar.value - 65 + 10)
        default: return nil
        }
    }

    private static func radixPrefix(_ marker: Unicode.Scalar) -> (Int, String)? {
        switch marker {
        case "x", "X": return (16, "hexadecimal")
        case "o", "O": return (8, "octal")
        case "b", "B": return (2, "binary")
        default: return nil
        }
    }

    private static func isStringPrefix(_ word: String) -> Bool {
        ["r", "u", "b", "br", "rb", "f", "fr", "rf"].contains(word.lowercased())
    }
}
