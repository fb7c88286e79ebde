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
    private let source: String
    /// Where `source` starts in its file (an f-string's field is parsed on its own).
    private let origin: SourcePosition
    private var tokens: [Token] = []
    private var index = 0
    private var depth = 0
    /// Whether the statements being parsed are a function's body (where `yield` may appear).
    private var inFunction = false

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

    private var current: Token { tokens[index] }

    private func peekToken(_ offset: Int = 1) -> Token {
        tokens[min(index + offset, tokens.count - 1)]
    }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func check(_ op: Operator) -> Bool { current.kind == .op(op) }
    private func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

    private mutating func accept(_ op: Operator) -> Token? { check(op) ? advance() : nil }
    private mutating func accept(_ keyword: Keyword) -> Token? { check(keyword) ? advance() : nil }

    private mutating func accept(_ kind: TokenKind) -> Token? {
        current.kind == kind ? advance() : nil
    }

    /// Consumes `op`; a missing closing bracket is reported as plain "invalid syntax", like CPython.
    @discardableResult
    private mutating func expect(_ op: Operator) throws(SyntaxError) -> Token {
        if let token = accept(op) { return token }
        switch op {
        case .rightParen, .rightBracket, .rightBrace: throw invalidSyntax()
        default: throw SyntaxError("expected '\(op.rawValue)'", at: current.location)
        }
    }

    private mutating func expect(_ keyword: Keyword) throws(SyntaxError) {
        guard accept(keyword) != nil else { throw invalidSyntax() }
    }

    private mutating func expectName() throws(SyntaxError) -> (String, SourcePosition) {
        guard case .name(let name) = current.kind else { throw invalidSyntax() }
        return (name, advance().location)
    }

    private func invalidSyntax() -> SyntaxError {
        switch current.kind {
        case .indent: return SyntaxError("unexpected indent", at: current.location)
        case .endOfFile: return SyntaxError("unexpected EOF while parsing", at: current.location)
        default: return SyntaxError("invalid syntax", at: current.location)
        }
    }

    /// Counts one level of nesting; every recursive cycle in the grammar passes through here.
    private mutating func enterNesting() throws(SyntaxError) {
        depth += 1
        if depth > maximumNestingDepth {
            throw SyntaxError("expression nested too deeply", at: current.location)
        }
    }

    private static func canStartExpression(_ kind: TokenKind) -> Bool {
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

    // MARK: - Statements

    /// statement: compound_stmt | simple_stmts
    private mutating func parseStatement() throws(SyntaxError) -> [Stmt] {
        switch current.kind {
        case .indent: throw SyntaxError("unexpected indent", at: current.location)
        case .keyword(.def): return [try parseFunctionDef(decorators: [])]
        case .keyword(.class): return [try parseClassDef(decorators: [])]
        case .keyword(.if): return [try parseIf()]
        case .keyword(.for): return [try parseFor()]
        case .keyword(.while): return [try parseWhile()]
        case .keyword(.try): return [try parseTry()]
        case .keyword(.with): return [try parseWith()]
        case .op(.at): return [try parseDecorated()]
        case .keyword(.async): throw SyntaxError("'async' is not supported", at: current.location)
        default: return try parseSimpleStatements()
        }
    }

    /// block: NEWLINE INDENT statement+ DEDENT | simple_stmts
    private mutating func parseBlock(after header: String, line: Int) throws(SyntaxError) -> [Stmt] {
        try enterNesting()
        defer { depth -= 1 }
        guard accept(.newline) != nil else { return try parseSimpleStatements() }
        guard accept(.indent) != nil else {
            throw SyntaxError("expected an indented block after \(header) on line \(line)", at: current.location)
        }
        var body: [Stmt] = []
        while current.kind != .dedent && current.kind != .endOfFile {
            body += try parseStatement()
        }
        _ = accept(.dedent)
        return body
    }

    /// Parses `':' block` after a compound statement header.
    private mutating func parseColonAndBlock(after header: String, line: Int) throws(SyntaxError) -> [Stmt] {
        try expect(.colon)
        return try parseBlock(after: header, line: line)
    }

    /// simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
    private mutating func parseSimpleStatements() throws(SyntaxError) -> [Stmt] {
        var statements = [try parseSimpleStatement()]
        while accept(.semicolon) != nil && current.kind != .newline {
            statements.append(try parseSimpleStatement())
        }
        guard accept(.newline) != nil else { throw invalidSyntax() }
        return statements
    }

    /// simple_stmt: assignment | star_expressions | return_stmt | import_stmt | raise_stmt | 'pass'
    ///     | del_stmt | assert_stmt | 'break' | 'continue' | global_stmt | nonlocal_stmt
    private mutating func parseSimpleStatement() throws(SyntaxError) -> Stmt {
        let start = current.location
        switch current.kind {
        case .keyword(.pass):
            advance()
            return Stmt(.pass, at: start)
        case .keyword(.break):
            advance()
            return Stmt(.break, at: start)
        case .keyword(.continue):
            advance()
            return Stmt(.continue, at: start)
        case .keyword(.return):
            advance()
            let value = Parser.canStartExpression(current.kind) ? try parseStarExpressions() : nil
            return Stmt(.return(value), at: start)
        case .keyword(.raise):
            return try parseRaise()
        case .keyword(.global), .keyword(.nonlocal):
            let isGlobal = check(.global)
            advance()
            var names = [try expectName().0]
            while accept(.comma) != nil {
                names.append(try expectName().0)
            }
            return Stmt(isGlobal ? .global(names) : .nonlocal(names), at: start)
        case .keyword(.del):
            return try parseDelete()
        case .keyword(.assert):
            advance()
            let test = try parseExpression()
            let message = accept(.comma) != nil ? try parseExpression() : nil
            return Stmt(.assert(test: test, message: message), at: start)
        case .keyword(.import):
            return try parseImport()
        case .keyword(.from):
            return try parseFromImport()
        default:
            return try parseExpressionStatement()
        }
    }

    /// raise_stmt: 'raise' [expression ['from' expression]]
    private mutating func parseRaise() throws(SyntaxError) -> Stmt {
        let start = advance().location
        guard Parser.canStartExpression(current.kind) else {
            return Stmt(.raise(exception: nil, cause: nil), at: start)
        }
        let exception = try parseExpression()
        let cause = accept(.from) != nil ? try parseExpression() : nil
        return Stmt(.raise(exception: exception, cause: cause), at: start)
    }

    /// del_stmt: 'del' del_targets
    private mutating func parseDelete() throws(SyntaxError) -> Stmt {
        let start = advance().location
        let targetList = try parseStarExpressions()
        var targets = [targetList]
        if case .tuple(let items) = targetList.kind, targetList.location == items.first?.location {
            targets = items  // an unparenthesised `del a, b`
        }
        for target in targets {
            try validateTarget(target, action: "delete", allowStarred: false)
        }
        return Stmt(.delete(targets), at: start)
    }

    /// import_name: 'import' dotted_name ['as' NAME] (',' dotted_name ['as' NAME])*
    private mutating func parseImport() throws(SyntaxError) -> Stmt {
        let start = advance().location
        var aliases: [ImportAlias] = []
        repeat {
            let location = current.location
            let name = try parseDottedName()
            let asName = accept(.as) != nil ? try expectName().0 : nil
            aliases.append(ImportAlias(name: name, asName: asName, location: location))
        } while accept(.comma) != nil
        return Stmt(.import(aliases), at: start)
    }

    /// import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
    ///     | 'from' ('.' | '...')+ 'import' import_from_targets
    /// import_from_targets: '(' import_from_as_names [','] ')' | import_from_as_names !',' | '*'
    private mutating func parseFromImport() throws(SyntaxError) -> Stmt {
        let start = advance().location
        var level = 0
        while true {
            if accept(.dot) != nil {
                level += 1
            } else if accept(.ellipsis) != nil {
                level += 3
            } else {
                break
            }
        }
        var module: String?
        if case .name = current.kind {
            module = try parseDottedName()
        } else if level == 0 {
            throw invalidSyntax()
        }
        try expect(.import)
        if let star = accept(.star) {
            return Stmt(.importFrom(module: module, names: [ImportAlias(name: "*", asName: nil, location: star.location)], level: level), at: start)
        }
        let parenthesized = accept(.leftParen) != nil
        var names: [ImportAlias] = []
        repeat {
            if parenthesized && check(.rightParen) { break }
            if !parenthesized && current.kind == .newline {
                throw SyntaxError("trailing comma not allowed without surrounding parentheses", at: current.location)
            }
            let (name, location) = try expectName()
            let asName = accept(.as) != nil ? try expectName().0 : nil
            names.append(ImportAlias(name: name, asName: asName, location: location))
        } while accept(.comma) != nil
        if parenthesized { try expect(.rightParen) }
        if names.isEmpty { throw invalidSyntax() }
        return Stmt(.importFrom(module: module, names: names, level: level), at: start)
    }

    /// dotted_name: NAME ('.' NAME)*
    private mutating func parseDottedName() throws(SyntaxError) -> String {
        var name = try expectName().0
        while accept(.dot) != nil {
            name += "." + (try expectName().0)
        }
        return name
    }

    private static let augmentedOperators: [Operator: BinaryOperator] = [
        .plusEqual: .add, .minusEqual: .subtract, .starEqual: .multiply, .slashEqual: .divide,
        .doubleSlashEqual: .floorDivide, .percentEqual: .modulo, .doubleStarEqual: .power,
        .atEqual: .matrixMultiply, .ampersandEqual: .bitwiseAnd, .pipeEqual: .bitwiseOr,
        .caretEqual: .bitwiseXor, .leftShiftEqual: .leftShift, .rightShiftEqual: .rightShift,
    ]

    /// assignment: single_target ':' expression ['=' star_expressions]
    ///     | (star_targets '=')+ star_expressions
    ///     | single_target augassign star_expressions
    /// expression_stmt: star_expressions
    private mutating func parseExpressionStatement() throws(SyntaxError) -> Stmt {
        let start = current.location
        let first = try parseStarExpressions()
        if check(.colon) {
            switch first.kind {
            case .name, .attribute, .subscript: break
            case .tuple: throw SyntaxError("only single target (not tuple) can be annotated", at: first.location)
            case .list: throw SyntaxError("only single target (not list) can be annotated", at: first.location)
            default: throw SyntaxError("illegal target for annotation", at: first.location)
            }
            advance()
            let annotation = try parseExpression()
            let value = accept(.equal) != nil ? try parseStarExpressions() : nil
            return Stmt(.annotatedAssign(target: first, annotation: annotation, value: value), at: start)
        }
        if case .op(let op) = current.kind, let binary = Parser.augmentedOperators[op] {
            switch first.kind {
            case .name, .attribute, .subscript: break
            default:
                throw SyntaxError(
                    "'\(Parser.describe(first, forAugmentedAssignment: true))' is an illegal expression for augmented assignment",
                    at: first.location)
            }
            let operatorLocation = advance().location
            let value = try parseStarExpressions()
            return Stmt(.augmentedAssign(target: first, binary, value: value, operatorLocation: operatorLocation), at: start)
        }
        if check(.equal) {
            var items = [first]
            while accept(.equal) != nil {
                items.append(try parseStarExpressions())
            }
            let value = items.removeLast()
            for target in items {
                try validateTarget(target, action: "assign to", allowStarred: false,
                                   suffix: " here. Maybe you meant '==' instead of '='?")
            }
            return Stmt(.assign(targets: items, value: value), at: start)
        }
        if case .starred = first.kind {
            throw SyntaxError("can't use starred expression here", at: first.location)
        }
        return Stmt(.expression(first), at: start)
    }

    /// Checks that `target` can be assigned to (or deleted), with CPython's messages otherwise.
    private func validateTarget(
        _ target: Expr, action: String, allowStarred: Bool, suffix: String = ""
    ) throws(SyntaxError) {
        switch target.kind {
        case .name, .attribute, .subscript:
            return
        case .tuple(let items), .list(let items):
            var sawStarred = false
            for item in items {
                if case .starred = item.kind, action != "delete" {
                    if sawStarred {
                        throw SyntaxError("multiple starred expressions in assignment", at: item.location)
                    }
                    sawStarred = true
                }
                try validateTarget(item, action: action, allowStarred: true)
            }
        case .starred(let inner) where allowStarred && action != "delete":
            try validateTarget(inner, action: action, allowStarred: false)
        case .starred where action != "delete":
            throw SyntaxError("starred assignment target must be in a list or tuple", at: target.location)
        default:
            throw SyntaxError("cannot \(action) \(Parser.describe(target, forAugmentedAssignment: false))\(suffix)",
                              at: target.location)
        }
    }

    /// Names an expression the way CPython's target error messages do.
    private static func describe(_ expr: Expr, forAugmentedAssignment: Bool) -> String {
        switch expr.kind {
        case .call: return "function call"
        case .integer, .float, .string: return "literal"
        case .boolean(let value): return value ? "True" : "False"
        case .none: return "None"
        case .ellipsis: return "ellipsis"
        case .compare: return "comparison"
        case .conditional: return "conditional expression"
        case .lambda: return "lambda"
        case .dict: return "dict literal"
        case .set: return "set display"
        case .listComprehension: return "list comprehension"
        case .setComprehension: return "set comprehension"
        case .dictComprehension: return "dict comprehension"
        case .generator: return "generator expression"
        case .starred: return "starred"
        case .tuple: return "tuple"
        case .list: return "list"
        default: return "expression"
        }
    }

    /// decorators: ('@' named_expression NEWLINE)+ (function_def | class_def)
    private mutating func parseDecorated() throws(SyntaxError) -> Stmt {
        var decorators: [Expr] = []
        while accept(.at) != nil {
            decorators.append(try parseNamedExpression())
            guard accept(.newline) != nil else { throw invalidSyntax() }
        }
        switch current.kind {
        case .keyword(.def): return try parseFunctionDef(decorators: decorators)
        case .keyword(.class): return try parseClassDef(decorators: decorators)
        default: throw invalidSyntax()
        }
    }

    /// function_def: 'def' NAME '(' [params] ')' ['->' expression] ':' block
    private mutating func parseFunctionDef(decorators: [Expr]) throws(SyntaxError) -> Stmt {
        let start = advance().location
        let (name, nameLocation) = try expectName()
        try expect(.leftParen)
        let parameters = try parseParameters(terminator: .rightParen, allowAnnotations: true)
        try expect(.rightParen)
        let returnAnnotation = accept(.arrow) != nil ? try parseExpression() : nil
        let enclosing = inFunction
        inFunction = true
        defer { inFunction = enclosing }
        let body = try parseColonAndBlock(after: "function definition", line: start.line)
        let definition = FunctionDef(
            name: name, nameLocation: nameLocation, parameters: parameters,
            returnAnnotation: returnAnnotation, body: body, decorators: decorators)
        return Stmt(.functionDef(definition), at: start)
    }

    /// params: ','.(param ['=' expression] | '/' | '*' [param] | '**' param)+ [',']
    /// param: NAME [':' expression]   (annotations only in `def`, not in `lambda`)
    private mutating func parseParameters(terminator: Operator, allowAnnotations: Bool) throws(SyntaxError) -> Parameters {
        var parameters = Parameters()
        var sawStar = false
        var sawSlash = false
        var sawDefault = false
        var bareStarLocation: SourcePosition?
        while !check(terminator) {
            let location = current.location
            if accept(.slash) != nil {
                if sawStar { throw SyntaxError("/ must be ahead of *", at: location) }
                if sawSlash { throw SyntaxError("/ may appear only once", at: location) }
                if parameters.positional.isEmpty {
                    throw SyntaxError("at least one argument must precede /", at: location)
                }
                sawSlash = true
                parameters.positionalOnlyCount = parameters.positional.count
            } else if accept(.star) != nil {
                if sawStar { throw SyntaxError("* argument may appear only once", at: location) }
                sawStar = true
                if case .name = current.kind {
                    parameters.variadic = try parseParameter(allowAnnotation: allowAnnotations, defaultError: "var-positional argument cannot have default value")
                } else {
                    bareStarLocation = location
                }
            } else if accept(.doubleStar) != nil {
                parameters.keywordVariadic = try parseParameter(allowAnnotation: allowAnnotations, defaultError: "var-keyword argument cannot have default value")
                _ = accept(.comma)
                if !check(terminator) {
                    throw SyntaxError("arguments cannot follow var-keyword argument", at: current.location)
                }
                break
            } else {
                let parameter = try parseParameter(allowAnnotation: allowAnnotations, defaultError: nil)
                if sawStar {
                    parameters.keywordOnly.append(parameter)
                } else {
                    if parameter.defaultValue != nil {
                        sawDefault = true
                    } else if sawDefault {
                        throw SyntaxError("parameter without a default follows parameter with a default", at: parameter.location)
                    }
                    parameters.positional.append(parameter)
                }
            }
            if accept(.comma) == nil { break }
        }
        if let bareStarLocation, parameters.keywordOnly.isEmpty {
            throw SyntaxError("named arguments must follow bare *", at: bareStarLocation)
        }
        var seen = Set<String>()
        let all = parameters.positional + [parameters.variadic].compactMap { $0 } + parameters.keywordOnly
            + [parameters.keywordVariadic].compactMap { $0 }
        for parameter in all where !seen.insert(parameter.name).inserted {
            throw SyntaxError("duplicate argument '\(parameter.name)' in function definition", at: parameter.location)
        }
        return parameters
    }

    /// param: NAME [':' expression] ['=' expression]; `defaultError` rejects a default for `*a`/`**k`.
    private mutating func parseParameter(allowAnnotation: Bool, defaultError: String?) throws(SyntaxError) -> Parameter {
        let (name, location) = try expectName()
        let annotation = allowAnnotation && accept(.colon) != nil ? try parseExpression() : nil
        var defaultValue: Expr?
        if let equal = accept(.equal) {
            if let defaultError { throw SyntaxError(defaultError, at: equal.location) }
            defaultValue = try parseExpression()
        }
        return Parameter(name: name, annotation: annotation, defaultValue: defaultValue, location: location)
    }

    /// class_def: 'class' NAME ['(' [arguments] ')'] ':' block
    private mutating func parseClassDef(decorators: [Expr]) throws(SyntaxError) -> Stmt {
        let start = advance().location
        let (name, nameLocation) = try expectName()
        let arguments = accept(.leftParen) != nil ? try parseCallArguments() : []
        let enclosing = inFunction
        inFunction = false
        defer { inFunction = enclosing }
        let body = try parseColonAndBlock(after: "class definition", line: start.line)
        let definition = ClassDef(name: name, nameLocation: nameLocation, arguments: arguments, body: body, decorators: decorators)
        return Stmt(.classDef(definition), at: start)
    }

    /// if_stmt: ('if' | 'elif') named_expression ':' block (elif_stmt | ['else' ':' block])
    private mutating func parseIf() throws(SyntaxError) -> Stmt {
        let keyword = advance()
        let header = keyword.kind == .keyword(.elif) ? "'elif' statement" : "'if' statement"
        let test = try parseNamedExpression()
        let body = try parseColonAndBlock(after: header, line: keyword.location.line)
        var orElse: [Stmt] = []
        if check(.elif) {
            // Each elif nests one level deeper in the AST, so it counts towards the depth limit.
            try enterNesting()
            defer { depth -= 1 }
            orElse = [try parseIf()]
        } else {
            orElse = try parseElseBlock()
        }
        return Stmt(.if(test: test, body: body, orElse: orElse), at: keyword.location)
    }

    /// else_block: 'else' ':' block
    private mutating func parseElseBlock() throws(SyntaxError) -> [Stmt] {
        guard let elseToken = accept(.else) else { return [] }
        return try parseColonAndBlock(after: "'else' statement", line: elseToken.location.line)
    }

    /// for_stmt: 'for' star_targets 'in' star_expressions ':' block [else_block]
    private mutating func parseFor() throws(SyntaxError) -> Stmt {
        let start = advance().location
        let target = try parseTargetList()
        try validateTarget(target, action: "assign to", allowStarred: false)
        try expect(.in)
        let iterable = try parseStarExpressions()
        let body = try parseColonAndBlock(after: "'for' statement", line: start.line)
        let orElse = try parseElseBlock()
        return Stmt(.for(target: target, iterable: iterable, body: body, orElse: orElse), at: start)
    }

    /// while_stmt: 'while' named_expression ':' block [else_block]
    private mutating func parseWhile() throws(SyntaxError) -> Stmt {
        let start = advance().location
        let test = try parseNamedExpression()
        let body = try parseColonAndBlock(after: "'while' statement", line: start.line)
        let orElse = try parseElseBlock()
        return Stmt(.while(test: test, body: body, orElse: orElse), at: start)
    }

    /// try_stmt: 'try' ':' block (except_block+ [else_block] [finally_block] | finally_block)
    /// except_block: 'except' [expression ['as' NAME]] ':' block
    private mutating func parseTry() throws(SyntaxError) -> Stmt {
        let start = advance().location
        let body = try parseColonAndBlock(after: "'try' statement", line: start.line)
        var handlers: [ExceptHandler] = []
        while let exceptToken = accept(.except) {
            if check(.star) { throw SyntaxError("'except*' is not supported", at: current.location) }
            let type = check(.colon) ? nil : try parseExpression()
            let name = type != nil && accept(.as) != nil ? try expectName().0 : nil
            let handlerBody = try parseColonAndBlock(after: "'except' statement", line: exceptToken.location.line)
            handlers.append(ExceptHandler(type: type, name: name, body: handlerBody, location: exceptToken.location))
        }
        let orElse = handlers.isEmpty ? [] : try parseElseBlock()
        var finallyBody: [Stmt] = []
        if let finallyToken = accept(.finally) {
            finallyBody = try parseColonAndBlock(after: "'finally' statement", line: finallyToken.location.line)
        } else if handlers.isEmpty {
            throw SyntaxError("expected 'except' or 'finally' block", at: current.location)
        }
        return Stmt(.try(body: body, handlers: handlers, orElse: orElse, finally: finallyBody), at: start)
    }

    /// with_stmt: 'with' ','.(expression ['as' star_target])+ ':' block
    private mutating func parseWith() throws(SyntaxError) -> Stmt {
        let start = advance().location
        var items: [WithItem] = []
        repeat {
            let context = try parseExpression()
            var target: Expr?
            if accept(.as) != nil {
                let parsedTarget = try parseTargetItem()
                try validateTarget(parsedTarget, action: "assign to", allowStarred: false)
                target = parsedTarget
            }
            items.append(WithItem(context: context, target: target))
        } while accept(.comma) != nil
        let body = try parseColonAndBlock(after: "'with' statement", line: start.line)
        return Stmt(.with(items: items, body: body), at: start)
    }

    /// star_targets: star_target (',' star_target)* [',']   (stops before 'in')
    private mutating func parseTargetList() throws(SyntaxError) -> Expr {
        let start = current.location
        let first = try parseTargetItem()
        guard check(.comma) else { return first }
        var items = [first]
        while accept(.comma) != nil && !check(.in) {
            items.append(try parseTargetItem())
        }
        return Expr(.tuple(items), at: start)
    }

    /// star_target: '*' bitwise_or | bitwise_or   (validated as a target afterwards)
    private mutating func parseTargetItem() throws(SyntaxError) -> Expr {
        if let star = accept(.star) {
            return Expr(.starred(try parseBitwiseOr()), at: star.location)
        }
        return try parseBitwiseOr()
    }

    // MARK: - Expressions

    /// star_expressions: star_expression (',' star_expression)* [',']
    private mutating func parseStarExpressions() throws(SyntaxError) -> Expr {
        let start = current.location
        let first = try parseStarExpression()
        guard check(.comma) else { return first }
        var items = [first]
        while accept(.comma) != nil && Parser.canStartExpression(current.kind) {
            items.append(try parseStarExpression())
        }
        return Expr(.tuple(items), at: start)
    }

    /// star_expression: '*' bitwise_or | expression
    private mutating func parseStarExpression() throws(SyntaxError) -> Expr {
        if let star = accept(.star) {
            return Expr(.starred(try parseBitwiseOr()), at: star.location)
        }
        return try parseExpression()
    }

    /// star_named_expression: '*' bitwise_or | named_expression
    private mutating func parseStarNamedExpression() throws(SyntaxError) -> Expr {
        if let star = accept(.star) {
            return Expr(.starred(try parseBitwiseOr()), at: star.location)
        }
        return try parseNamedExpression()
    }

    /// named_expression: NAME ':=' expression | expression   (the walrus form is rejected)
    private mutating func parseNamedExpression() throws(SyntaxError) -> Expr {
        if case .name = current.kind, peekToken().kind == .op(.colonEqual) {
            throw SyntaxError("assignment expressions (':=') are not supported", at: peekToken().location)
        }
        return try parseExpression()
    }

    /// expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
    private mutating func parseExpression() throws(SyntaxError) -> Expr {
        try enterNesting()
        defer { depth -= 1 }
        if check(.lambda) { return try parseLambda() }
        let start = current.location
        let body = try parseDisjunction()
        guard accept(.if) != nil else { return body }
        let test = try parseDisjunction()
        guard accept(.else) != nil else {
            throw SyntaxError("expected 'else' after 'if' expression", at: current.location)
        }
        let orElse = try parseExpression()
        return Expr(.conditional(test: test, body: body, orElse: orElse), at: start)
    }

    /// lambdef: 'lambda' [lambda_params] ':' expression
    private mutating func parseLambda() throws(SyntaxError) -> Expr {
        let start = advance().location
        let parameters = try parseParameters(terminator: .colon, allowAnnotations: false)
        try expect(.colon)
        let body = try parseExpression()
        return Expr(.lambda(parameters, body: body), at: start)
    }

    /// disjunction: conjunction ('or' conjunction)*
    /// conjunction: inversion ('and' inversion)*
    /// Both levels are parsed by one loop (precedence climbing) to keep the recursion shallow.
    private mutating func parseDisjunction(minimumLevel: Int = 0) throws(SyntaxError) -> Expr {
        let start = current.location
        var left = try parseInversion()
        let savedDepth = depth
        while case .keyword(let keyword) = current.kind,
              let (op, level): (LogicalOperator, Int) = keyword == .or ? (.or, 0) : keyword == .and ? (.and, 1) : nil,
              level >= minimumLevel {
            let operatorLocation = advance().location
            try enterNesting()  // a long chain builds a deep left-nested tree
            let right = try parseDisjunction(minimumLevel: level + 1)
            left = Expr(.logical(op, left, right, operatorLocation: operatorLocation), at: start)
        }
        depth = savedDepth
        return left
    }

    /// inversion: 'not' inversion | comparison
    private mutating func parseInversion() throws(SyntaxError) -> Expr {
        guard let notToken = accept(.not) else { return try parseComparison() }
        try enterNesting()
        defer { depth -= 1 }
        return Expr(.unary(.not, try parseInversion()), at: notToken.location)
    }

    /// comparison: bitwise_or (compare_op bitwise_or)*
    /// compare_op: '==' | '!=' | '<=' | '<' | '>=' | '>' | 'not' 'in' | 'in' | 'is' 'not' | 'is'
    private mutating func parseComparison() throws(SyntaxError) -> Expr {
        let start = current.location
        let left = try parseBitwiseOr()
        var links: [ComparisonClause] = []
        while let (op, location) = acceptComparisonOperator() {
            links.append(ComparisonClause(op: op, operatorLocation: location, right: try parseBitwiseOr()))
        }
        return links.isEmpty ? left : Expr(.compare(left, links), at: start)
    }

    private mutating func acceptComparisonOperator() -> (ComparisonOperator, SourcePosition)? {
        let location = current.location
        switch current.kind {
        case .op(let op):
            let simple: [Operator: ComparisonOperator] = [
                .less: .less, .lessEqual: .lessEqual, .greater: .greater, .greaterEqual: .greaterEqual,
                .equalEqual: .equal, .notEqual: .notEqual,
            ]
            guard let comparison = simple[op] else { return nil }
            advance()
            return (comparison, location)
        case .keyword(.in):
            advance()
            return (.in, location)
        case .keyword(.not) where peekToken().kind == .keyword(.in):
            advance()
            advance()
            return (.notIn, location)
        case .keyword(.is):
            advance()
            return (accept(.not) != nil ? .isNot : .is, location)
        default:
            return nil
        }
    }

    /// Binary operators with their precedence level, loosest (0) to tightest (5).
    private static let binaryOperators: [Operator: (BinaryOperator, level: Int)] = [
        .pipe: (.bitwiseOr, 0),
        .caret: (.bitwiseXor, 1),
        .ampersand: (.bitwiseAnd, 2),
        .leftShift: (.leftShift, 3), .rightShift: (.rightShift, 3),
        .plus: (.add, 4), .minus: (.subtract, 4),
        .star: (.multiply, 5), .slash: (.divide, 5), .doubleSlash: (.floorDivide, 5), .percent: (.modulo, 5),
        .at: (.matrixMultiply, 5),
    ]

    /// bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor
    /// bitwise_xor: bitwise_xor '^' bitwise_and | bitwise_and
    /// bitwise_and: bitwise_and '&' shift_expr | shift_expr
    /// shift_expr: shift_expr ('<<' | '>>') sum | sum
    /// sum: sum ('+' | '-') term | term
    /// term: term ('*' | '/' | '//' | '%' | '@') factor | factor
    /// All six left-associative levels are parsed by precedence climbing, so an operand costs
    /// one stack frame rather than six.
    private mutating func parseBitwiseOr(minimumLevel: Int = 0) throws(SyntaxError) -> Expr {
        let start = current.location
        var left = try parseFactor()
        let savedDepth = depth
        while case .op(let op) = current.kind, let (binary, level) = Parser.binaryOperators[op], level >= minimumLevel {
            let operatorLocation = advance().location
            try enterNesting()  // a long chain builds a deep left-nested tree
            let right = try parseBitwiseOr(minimumLevel: level + 1)
            left = Expr(.binary(binary, left, right, operatorLocation: operatorLocation), at: start)
        }
        depth = savedDepth
        return left
    }

    /// factor: '+' factor | '-' factor | '~' factor | power
    private mutating func parseFactor() throws(SyntaxError) -> Expr {
        let unary: [Operator: UnaryOperator] = [.minus: .negate, .plus: .plus, .tilde: .invert]
        guard case .op(let op) = current.kind, let unaryOperator = unary[op] else { return try parsePower() }
        let location = advance().location
        try enterNesting()
        defer { depth -= 1 }
        return Expr(.unary(unaryOperator, try parseFactor()), at: location)
    }

    /// power: primary '**' factor | primary
    private mutating func parsePower() throws(SyntaxError) -> Expr {
        let start = current.location
        let base = try parsePrimary()
        guard let powerToken = accept(.doubleStar) else { return base }
        try enterNesting()
        defer { depth -= 1 }
        let exponent = try parseFactor()
        return Expr(.binary(.power, base, exponent, operatorLocation: powerToken.location), at: start)
    }

    /// primary: atom ('.' NAME | '(' [arguments] ')' | '[' slices ']')*
    private mutating func parsePrimary() throws(SyntaxError) -> Expr {
        let start = tokens[index].range.start
        // Bracketed atoms are dispatched here so parseAtom's frame is not part of each nesting level.
        var expr: Expr
        if check(.leftParen) {
            expr = try parseParenthesized()
        } else if check(.leftBracket) {
            expr = try parseListDisplay()
        } else if check(.leftBrace) {
            expr = try parseBraceDisplay()
        } else {
            expr = try parseAtom()
        }
        let savedDepth = depth
        while try parseTrailer(&expr, start: start) {
            try enterNesting()
        }
        depth = savedDepth
        return expr
    }

    /// Applies one `.name`, `(arguments)` or `[slices]` trailer to `expr`; returns false if there is none.
    /// Kept out of line so that its locals do not enlarge every nesting level's stack frame.
    @inline(never)
    private mutating func parseTrailer(_ expr: inout Expr, start: SourcePosition) throws(SyntaxError) -> Bool {
        if accept(.dot) != nil {
            let (name, nameLocation) = try expectName()
            expr = Expr(.attribute(expr, name: name, nameLocation: nameLocation), at: start)
        } else if accept(.leftParen) != nil {
            expr = Expr(.call(callee: expr, arguments: try parseCallArguments()), at: start)
        } else if accept(.leftBracket) != nil {
            let index = try parseSlices()
            try expect(.rightBracket)
            expr = Expr(.subscript(expr, index: index), at: start)
        } else {
            return false
        }
        return true
    }

    /// arguments: ','.('*' expression | '**' expression | NAME '=' expression | named_expression)+ [','] ')'
    ///     | named_expression for_if_clauses ')'   (a lone generator argument)
    /// Called after the opening parenthesis; consumes the closing one.
    private mutating func parseCallArguments() throws(SyntaxError) -> [Argument] {
        var arguments: [Argument] = []
        var sawKeyword = false
        var sawMappingUnpack = false
        while !check(.rightParen) {
            let location = current.location
            if accept(.star) != nil {
                arguments.append(Argument(.unpackedSequence(try parseExpression()), at: location))
            } else if accept(.doubleStar) != nil {
                sawMappingUnpack = true
                arguments.append(Argument(.unpackedMapping(try parseExpression()), at: location))
            } else if case .name(let name) = current.kind, peekToken().kind == .op(.equal) {
                advance()
                advance()
                sawKeyword = true
                arguments.append(Argument(.keyword(name: name, try parseExpression()), at: location))
            } else {
                let value = try parseNamedExpression()
                if check(.for) {
                    let generator = Expr(.generator(value, try parseComprehensionClauses()), at: value.location)
                    guard arguments.isEmpty && check(.rightParen) else {
                        throw SyntaxError("Generator expression must be parenthesized", at: location)
                    }
                    arguments.append(Argument(.positional(generator), at: location))
                    break
                }
                if check(.equal) {
                    throw SyntaxError("expression cannot contain assignment, perhaps you meant \"==\"?", at: location)
                }
                if sawMappingUnpack {
                    throw SyntaxError("positional argument follows keyword argument unpacking", at: location)
                }
                if sawKeyword {
                    throw SyntaxError("positional argument follows keyword argument", at: location)
                }
                arguments.append(Argument(.positional(value), at: location))
            }
            if accept(.comma) == nil { break }
        }
        try expect(.rightParen)
        return arguments
    }

    /// slices: slice !',' | ','.(slice | '*' bitwise_or)+ [',']
    private mutating func parseSlices() throws(SyntaxError) -> Expr {
        let start = current.location
        let first = try parseSliceItem()
        guard check(.comma) else { return first }
        var items = [first]
        while accept(.comma) != nil && !check(.rightBracket) {
            items.append(try parseSliceItem())
        }
        return Expr(.tuple(items), at: start)
    }

    /// slice: [expression] ':' [expression] [':' [expression]] | named_expression
    private mutating func parseSliceItem() throws(SyntaxError) -> Expr {
        let start = current.location
        if let star = accept(.star) {
            return Expr(.starred(try parseBitwiseOr()), at: star.location)
        }
        var lower: Expr?
        if !check(.colon) {
            let expression = try parseNamedExpression()
            guard check(.colon) else { return expression }
            lower = expression
        }
        advance()  // ':'
        let endsBound = { (parser: Parser) in
            parser.check(.colon) || parser.check(.comma) || parser.check(.rightBracket)
        }
        let upper = endsBound(self) ? nil : try parseExpression()
        var step: Expr?
        if accept(.colon) != nil && !endsBound(self) {
            step = try parseExpression()
        }
        return Expr(.slice(lower: lower, upper: upper, step: step), at: start)
    }

    /// atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | '...'
    ///   (the bracketed atoms, tuple | group | genexp | list | listcomp | dict | set | dictcomp | setcomp,
    ///   are dispatched by parsePrimary)
    private mutating func parseAtom() throws(SyntaxError) -> Expr {
        let start = current.location
        switch current.kind {
        case .name(let name):
            advance()
            return Expr(.name(name), at: start)
        case .integer(let text, let value):
            advance()
            return Expr(.integer(text: text, value: value), at: start)
        case .float(let value):
            advance()
            return Expr(.float(value), at: start)
        case .string:
            return try parseStrings()
        case .keyword(.true), .keyword(.false):
            let value = check(.true)
            advance()
            return Expr(.boolean(value), at: start)
        case .keyword(.none):
            advance()
            return Expr(.none, at: start)
        case .op(.ellipsis):
            advance()
            return Expr(.ellipsis, at: start)
        case .keyword(.yield):
            guard inFunction else { throw SyntaxError("'yield' outside function", at: start) }
            advance()
            if check(.from) {
                advance()
                return Expr(.yield(try parseExpression(), from: true), at: start)
            }
            guard Self.canStartExpression(current.kind) else { return Expr(.yield(nil, from: false), at: start) }
            return Expr(.yield(try parseStarExpressions(), from: false), at: start)
        case .keyword(.await), .keyword(.async):
            throw SyntaxError("'async' and 'await' are not supported", at: start)
        default:
            throw invalidSyntax()
        }
    }

    /// strings: STRING+   (adjacent literals are concatenated; bytes cannot mix with text)
    private mutating func parseStrings() throws(SyntaxError) -> Expr {
        let start = current.location
        guard case .string(let first) = advance().kind else { throw invalidSyntax() }
        var parts = [first]
        while case .string(let next) = current.kind {
            if (first.kind == .bytes) != (next.kind == .bytes) {
                throw SyntaxError("cannot mix bytes and nonbytes literals", at: current.location)
            }
            parts.append(next)
            advance()
        }
        guard parts.count > 1 else { return Expr(.string(first), at: start) }
        // With an f-string among them, the plain parts join its undecoded text: their braces and
        // backslashes are literal, so they are doubled (`"a{b}" f"{x}"` prints `a{b}` and x).
        let isFormatted = parts.contains { $0.kind == .formatted }
        let value = parts.map { part in
            guard isFormatted, part.kind != .formatted else { return part.value }
            var text = ""
            for c in part.value { text += c == "{" ? "{{" : c == "}" ? "}}" : c == "\\" ? "\\\\" : String(c) }
            return text
        }.joined()
        return Expr(.string(StringLiteral(value: value, kind: isFormatted ? .formatted : first.kind,
                                          isRaw: parts.allSatisfy(\.isRaw))), at: start)
    }

    /// tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
    /// group: '(' named_expression ')'
    /// genexp: '(' named_expression for_if_clauses ')'
    private mutating func parseParenthesized() throws(SyntaxError) -> Expr {
        let start = advance().location
        if accept(.rightParen) != nil { return Expr(.tuple([]), at: start) }
        let first = try parseStarNamedExpression()
        return try finishParenthesized(first: first, start: start)
    }

    /// Parses what follows the first element inside `(`; out of line to keep the nesting frame small.
    @inline(never)
    private mutating func finishParenthesized(first: Expr, start: SourcePosition) throws(SyntaxError) -> Expr {
        if check(.for) {
            try rejectStarredElement(first)
            let generator = Expr(.generator(first, try parseComprehensionClauses()), at: start)
            try expect(.rightParen)
            return generator
        }
        if check(.comma) {
            let items = try parseRemainingItems(after: first, closer: .rightParen)
            return Expr(.tuple(items), at: start)
        }
        try expect(.rightParen)
        if case .starred = first.kind {
            throw SyntaxError("cannot use starred expression here", at: first.location)
        }
        return first
    }

    /// list: '[' [star_named_expressions] ']'
    /// listcomp: '[' named_expression for_if_clauses ']'
    private mutating func parseListDisplay() throws(SyntaxError) -> Expr {
        let start = advance().location
        if accept(.rightBracket) != nil { return Expr(.list([]), at: start) }
        let first = try parseStarNamedExpression()
        if check(.for) {
            try rejectStarredElement(first)
            let comprehension = Expr(.listComprehension(first, try parseComprehensionClauses()), at: start)
            try expect(.rightBracket)
            return comprehension
        }
        return Expr(.list(try parseRemainingItems(after: first, closer: .rightBracket)), at: start)
    }

    /// dict: '{' [','.('**' bitwise_or | expression ':' expression)+ [',']] '}'
    /// set: '{' star_named_expressions '}'
    /// dictcomp: '{' expression ':' expression for_if_clauses '}'
    /// setcomp: '{' named_expression for_if_clauses '}'
    private mutating func parseBraceDisplay() throws(SyntaxError) -> Expr {
        let start = advance().location
        if accept(.rightBrace) != nil { return Expr(.dict([]), at: start) }
        var entries: [DictEntry]
        if accept(.doubleStar) != nil {
            entries = [.unpack(try parseBitwiseOr())]
        } else {
            let first = try parseStarNamedExpression()
            if case .starred = first.kind {} else if accept(.colon) != nil {
                let value = try parseExpression()
                if check(.for) {
                    let comprehension = Expr(
                        .dictComprehension(key: first, value: value, try parseComprehensionClauses()), at: start)
                    try expect(.rightBrace)
                    return comprehension
                }
                entries = [.pair(key: first, value: value)]
                return Expr(.dict(try parseRemainingDictEntries(entries)), at: start)
            }
            if check(.for) {
                try rejectStarredElement(first)
                let comprehension = Expr(.setComprehension(first, try parseComprehensionClauses()), at: start)
                try expect(.rightBrace)
                return comprehension
            }
            return Expr(.set(try parseRemainingItems(after: first, closer: .rightBrace)), at: start)
        }
        return Expr(.dict(try parseRemainingDictEntries(entries)), at: start)
    }

    /// Parses `(',' star_named_expression)* [','] closer` after the first item of a display.
    private mutating func parseRemainingItems(after first: Expr, closer: Operator) throws(SyntaxError) -> [Expr] {
        var items = [first]
        while accept(.comma) != nil && !check(closer) {
            items.append(try parseStarNamedExpression())
        }
        try expect(closer)
        return items
    }

    /// Parses `(',' ('**' bitwise_or | expression ':' expression))* [','] '}'` after the first entry.
    private mutating func parseRemainingDictEntries(_ first: [DictEntry]) throws(SyntaxError) -> [DictEntry] {
        var entries = first
        while accept(.comma) != nil && !check(.rightBrace) {
            if accept(.doubleStar) != nil {
                entries.append(.unpack(try parseBitwiseOr()))
            } else {
                let key = try parseExpression()
                try expect(.colon)
                entries.append(.pair(key: key, value: try parseExpression()))
            }
        }
        try expect(.rightBrace)
        return entries
    }

    private func rejectStarredElement(_ element: Expr) throws(SyntaxError) {
        if case .starred = element.kind {
            throw SyntaxError("iterable unpacking cannot be used in comprehension", at: element.location)
        }
    }

    /// for_if_clauses: ('for' star_targets 'in' disjunction ('if' disjunction)*)+
    private mutating func parseComprehensionClauses() throws(SyntaxError) -> [Comprehension] {
        var clauses: [Comprehension] = []
        while let forToken = accept(.for) {
            let target = try parseTargetList()
            try validateTarget(target, action: "assign to", allowStarred: false)
            try expect(.in)
            let iterable = try parseDisjunction()
            var conditions: [Expr] = []
            while accept(.if) != nil {
                conditions.append(try parseDisjunction())
            }
            clauses.append(Comprehension(target: target, iterable: iterable, conditions: conditions, location: forToken.location))
        }
        if check(.async) { throw SyntaxError("'async' and 'await' are not supported", at: current.location) }
        return clauses
    }
}
