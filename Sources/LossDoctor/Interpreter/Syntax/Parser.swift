/// Parses a module (a whole file) into an AST.
func parseModule(_ source: String, maximumNestingDepth: Int = 200) throws(SyntaxError) -> Module {
    var parser = Parser(source: source, maximumNestingDepth: maximumNestingDepth)
    return try parser.parseModule()
}

/// Parses a single expression, like Python's `eval` input mode.
func parseExpression(_ source: String, maximumNestingDepth: Int = 200,
                     origin: SourcePosition = SourcePosition(line: 1, column: 1)) throws(SyntaxError) -> Expr {
    var parser = Parser(source: source, maximumNestingDepth: maximumNestingDepth, origin: origin)
    return try parser.parseStandaloneExpression()
}

/// A recursive-descent parser for a Python subset, following (a simplified form of) CPython's grammar.
///
/// Recursion is bounded: nested brackets, unary operators, `**` exponents, operator chains,
/// trailers and nested blocks each count towards `maximumNestingDepth`, and exceeding it throws
/// a `SyntaxError` instead of overflowing the stack (the resulting AST depth is bounded as well).
struct Parser {
    /// The maximum nesting depth before parsing fails with "expression nested too deeply".
    let maximumNestingDepth: Int
    let source: String
    /// Where `source` starts in its file (an f-string's field is parsed on its own).
    let origin: SourcePosition
    var tokens: [Token] = []
    var index = 0
    var depth = 0
    /// Whether the statements being parsed are a function's body (where `yield` may appear).
    var inFunction = false

    /// Creates a parser for `source`; nothing is lexed until a parse method is called.
    init(source: String, maximumNestingDepth: Int = 200, origin: SourcePosition = SourcePosition(line: 1, column: 1)) {
        self.source = source
        self.maximumNestingDepth = maximumNestingDepth
        self.origin = origin
    }

    /// module: statement* ENDMARKER
    mutating func parseModule() throws(SyntaxError) -> Module {
        let lexed = try Lexer.tokenize(source, maximumNestingDepth: maximumNestingDepth)
        tokens = lexed.tokens
        index = 0
        depth = 0
        var statements: [Stmt] = []
        while current.kind != .endOfFile {
            statements += try parseStatement()
        }
        return Module(statements: statements, comments: lexed.comments)
    }

    /// eval_input: star_expressions NEWLINE* ENDMARKER
    mutating func parseStandaloneExpression() throws(SyntaxError) -> Expr {
        tokens = try Lexer.tokenize(source, maximumNestingDepth: maximumNestingDepth, origin: origin).tokens
        index = 0
        depth = 0
        _ = accept(.indent)  // leading whitespace is allowed in eval input
        let expression = try parseStarExpressions()
        _ = accept(.newline)
        _ = accept(.dedent)
        guard current.kind == .endOfFile else { throw invalidSyntax() }
        return expression
    }

    // MARK: - Token helpers

    var current: Token { tokens[index] }

    func peekToken(_ offset: Int = 1) -> Token {
        tokens[min(index + offset, tokens.count - 1)]
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func check(_ op: Operator) -> Bool { current.kind == .op(op) }
    func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

    mutating func accept(_ op: Operator) -> Token? { check(op) ? advance() : nil }
    mutating func accept(_ keyword: Keyword) -> Token? { check(keyword) ? advance() : nil }

    mutating func accept(_ kind: TokenKind) -> Token? {
        current.kind == kind ? advance() : nil
    }

    /// Consumes `op`; a missing closing bracket is reported as plain "invalid syntax", like CPython.
    @discardableResult
    mutating func expect(_ op: Operator) throws(SyntaxError) -> Token {
        if let token = accept(op) { return token }
        switch op {
        case .rightParen, .rightBracket, .rightBrace: throw invalidSyntax()
        default: throw SyntaxError("expected '\(op.rawValue)'", at: current.location)
        }
    }

    mutating func expect(_ keyword: Keyword) throws(SyntaxError) {
        guard accept(keyword) != nil else { throw invalidSyntax() }
    }

    mutating func expectName() throws(SyntaxError) -> (String, SourcePosition) {
        guard case .name(let name) = current.kind else { throw invalidSyntax() }
        return (name, advance().location)
    }

    func invalidSyntax() -> SyntaxError {
        switch current.kind {
        case .indent: return SyntaxError("unexpected indent", at: current.location)
        case .endOfFile: return SyntaxError("unexpected EOF while parsing", at: current.location)
        default: return SyntaxError("invalid syntax", at: current.location)
        }
    }

    /// Counts one level of nesting; every recursive cycle in the grammar passes through here.
    mutating func enterNesting() throws(SyntaxError) {
        depth += 1
        if depth > maximumNestingDepth {
            throw SyntaxError("expression nested too deeply", at: current.location)
        }
    }

    static func canStartExpression(_ kind: TokenKind) -> Bool {
        switch kind {
        case .name, .integer, .float, .string:
            return true
        case .keyword(let keyword):
            return [.not, .lambda, .none, .true, .false, .await, .yield].contains(keyword)
        case .op(let op):
            return [.leftParen, .leftBracket, .leftBrace, .minus, .plus, .tilde, .star, .ellipsis].contains(op)
        default:
            return false
        }
    }
}
