/// A reserved Python keyword.
enum Keyword: String, Sendable, CaseIterable {
    case `false` = "False", none = "None", `true` = "True"
    case and, `as`, assert, async, await, `break`, `class`, `continue`, def, del
    case elif, `else`, except, finally, `for`, from, global, `if`, `import`, `in`
    case `is`, lambda, nonlocal, not, or, pass, raise, `return`, `try`, `while`, with, yield

    /// Maps source spellings to keywords.
    static let bySpelling: [String: Keyword] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}

/// An operator or delimiter token, spelled by its raw value.
enum Operator: String, Sendable, CaseIterable {
    case plus = "+", minus = "-", star = "*", slash = "/", doubleSlash = "//", percent = "%"
    case doubleStar = "**", at = "@", leftShift = "<<", rightShift = ">>"
    case ampersand = "&", pipe = "|", caret = "^", tilde = "~"
    case less = "<", greater = ">", lessEqual = "<=", greaterEqual = ">=", equalEqual = "==", notEqual = "!="
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]", leftBrace = "{", rightBrace = "}"
    case comma = ",", colon = ":", dot = ".", semicolon = ";", equal = "=", arrow = "->", colonEqual = ":="
    case ellipsis = "..."
    case plusEqual = "+=", minusEqual = "-=", starEqual = "*=", slashEqual = "/=", doubleSlashEqual = "//="
    case percentEqual = "%=", doubleStarEqual = "**=", atEqual = "@=", ampersandEqual = "&="
    case pipeEqual = "|=", caretEqual = "^=", leftShiftEqual = "<<=", rightShiftEqual = ">>="

    /// Operator spellings, longest first, so the lexer can take the longest match.
    static let spellingsLongestFirst: [(spelling: [Unicode.Scalar], op: Operator)] =
        allCases.map { (Array($0.rawValue.unicodeScalars), $0) }
            .sorted { $0.0.count > $1.0.count }
}

/// How a string literal was written, which decides how its value should be interpreted.
enum StringLiteralKind: Sendable, Hashable {
    /// A plain (possibly raw or `u`-prefixed) text string.
    case text
    /// A `b'...'` literal; the value holds one scalar per byte (all below U+0100).
    case bytes
    /// An `f'...'` literal; the value is the undecoded source text between the quotes.
    case formatted
}

/// A decoded string literal token.
struct StringLiteral: Sendable, Hashable {
    /// The decoded value (raw source text for f-strings).
    var value: String
    /// Whether this is a text, bytes or f-string literal.
    var kind: StringLiteralKind
    /// Whether the literal had an `r` prefix.
    var isRaw: Bool
    /// Where the text between the quotes starts, for an f-string written as one literal: its fields are
    /// parsed when evaluated, and located from here.
    var contentStart: SourcePosition?

    /// Creates a string literal token payload.
    init(value: String, kind: StringLiteralKind, isRaw: Bool, contentStart: SourcePosition? = nil) {
        self.value = value
        self.kind = kind
        self.isRaw = isRaw
        self.contentStart = contentStart
    }

    /// Two literals are the same when they read the same, wherever they were written.
    static func == (a: StringLiteral, b: StringLiteral) -> Bool {
        a.value == b.value && a.kind == b.kind && a.isRaw == b.isRaw
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(value)
        hasher.combine(kind)
        hasher.combine(isRaw)
    }
}

/// The category and payload of a token.
enum TokenKind: Sendable, Hashable {
    /// An identifier.
    case name(String)
    /// An integer literal: its source text and value (`nil` when it does not fit in `Int`).
    case integer(text: String, value: Int?)
    /// A floating-point literal.
    case float(Double)
    /// A string or bytes literal.
    case string(StringLiteral)
    /// A reserved keyword.
    case keyword(Keyword)
    /// An operator or delimiter.
    case op(Operator)
    /// The end of a logical line.
    case newline
    /// An increase of indentation.
    case indent
    /// A decrease of indentation (one per closed level).
    case dedent
    /// The end of input.
    case endOfFile
}

/// A lexical token with the source range it covers.
struct Token: Sendable, Hashable {
    /// What the token is.
    var kind: TokenKind
    /// Where the token is; NEWLINE covers the line break, INDENT/DEDENT/EOF are empty ranges.
    var range: SourceRange

    /// Creates a token.
    init(kind: TokenKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The location of the token's first character.
    var location: SourcePosition { range.start }
}
