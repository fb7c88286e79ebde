/// The expressions of the Python subset, from star expressions down to atoms, displays and comprehensions.
extension Parser {
    /// star_expressions: star_expression (',' star_expression)* [',']
    mutating func parseStarExpressions() throws(SyntaxError) -> Expr {
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
    mutating func parseStarExpression() throws(SyntaxError) -> Expr {
        if let star = accept(.star) {
            return Expr(.starred(try parseBitwiseOr()), at: star.location)
        }
        return try parseExpression()
    }

    /// star_named_expression: '*' bitwise_or | named_expression
    mutating func parseStarNamedExpression() throws(SyntaxError) -> Expr {
        if let star = accept(.star) {
            return Expr(.starred(try parseBitwiseOr()), at: star.location)
        }
        return try parseNamedExpression()
    }

    /// named_expression: NAME ':=' expression | expression   (the walrus form is rejected)
    mutating func parseNamedExpression() throws(SyntaxError) -> Expr {
        if case .name = current.kind, peekToken().kind == .op(.colonEqual) {
            throw SyntaxError("assignment expressions (':=') are not supported", at: peekToken().location)
        }
        return try parseExpression()
    }

    /// expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
    mutating func parseExpression() throws(SyntaxError) -> Expr {
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
    mutating func parseLambda() throws(SyntaxError) -> Expr {
        let start = advance().location
        let parameters = try parseParameters(terminator: .colon, allowAnnotations: false)
        try expect(.colon)
        let body = try parseExpression()
        return Expr(.lambda(parameters, body: body), at: start)
    }

    /// disjunction: conjunction ('or' conjunction)*
    /// conjunction: inversion ('and' inversion)*
    /// Both levels are parsed by one loop (precedence climbing) to keep the recursion shallow.
    mutating func parseDisjunction(minimumLevel: Int = 0) throws(SyntaxError) -> Expr {
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
    mutating func parseInversion() throws(SyntaxError) -> Expr {
        guard let notToken = accept(.not) else { return try parseComparison() }
        try enterNesting()
        defer { depth -= 1 }
        return Expr(.unary(.not, try parseInversion()), at: notToken.location)
    }

    /// comparison: bitwise_or (compare_op bitwise_or)*
    /// compare_op: '==' | '!=' | '<=' | '<' | '>=' | '>' | 'not' 'in' | 'in' | 'is' 'not' | 'is'
    mutating func parseComparison() throws(SyntaxError) -> Expr {
        let start = current.location
        let left = try parseBitwiseOr()
        var links: [ComparisonClause] = []
        while let (op, location) = acceptComparisonOperator() {
            links.append(ComparisonClause(op: op, operatorLocation: location, right: try parseBitwiseOr()))
        }
        return links.isEmpty ? left : Expr(.compare(left, links), at: start)
    }

    mutating func acceptComparisonOperator() -> (ComparisonOperator, SourcePosition)? {
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
    mutating func parseBitwiseOr(minimumLevel: Int = 0) throws(SyntaxError) -> Expr {
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
    mutating func parseFactor() throws(SyntaxError) -> Expr {
        let unary: [Operator: UnaryOperator] = [.minus: .negate, .plus: .plus, .tilde: .invert]
        guard case .op(let op) = current.kind, let unaryOperator = unary[op] else { return try parsePower() }
        let location = advance().location
        try enterNesting()
        defer { depth -= 1 }
        return Expr(.unary(unaryOperator, try parseFactor()), at: location)
    }

    /// power: primary '**' factor | primary
    mutating func parsePower() throws(SyntaxError) -> Expr {
        let start = current.location
        let base = try parsePrimary()
        guard let powerToken = accept(.doubleStar) else { return base }
        try enterNesting()
        defer { depth -= 1 }
        let exponent = try parseFactor()
        return Expr(.binary(.power, base, exponent, operatorLocation: powerToken.location), at: start)
    }

    /// primary: atom ('.' NAME | '(' [arguments] ')' | '[' slices ']')*
    mutating func parsePrimary() throws(SyntaxError) -> Expr {
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
    mutating func parseTrailer(_ expr: inout Expr, start: SourcePosition) throws(SyntaxError) -> Bool {
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
    mutating func parseCallArguments() throws(SyntaxError) -> [Argument] {
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
    mutating func parseSlices() throws(SyntaxError) -> Expr {
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
    mutating func parseSliceItem() throws(SyntaxError) -> Expr {
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
    mutating func parseAtom() throws(SyntaxError) -> Expr {
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
    mutating func parseStrings() throws(SyntaxError) -> Expr {
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
    mutating func parseParenthesized() throws(SyntaxError) -> Expr {
        let start = advance().location
        if accept(.rightParen) != nil { return Expr(.tuple([]), at: start) }
        let first = try parseStarNamedExpression()
        return try finishParenthesized(first: first, start: start)
    }

    /// Parses what follows the first element inside `(`; out of line to keep the nesting frame small.
    @inline(never)
    mutating func finishParenthesized(first: Expr, start: SourcePosition) throws(SyntaxError) -> Expr {
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
    mutating func parseListDisplay() throws(SyntaxError) -> Expr {
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
    mutating func parseBraceDisplay() throws(SyntaxError) -> Expr {
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
    mutating func parseRemainingItems(after first: Expr, closer: Operator) throws(SyntaxError) -> [Expr] {
        var items = [first]
        while accept(.comma) != nil && !check(closer) {
            items.append(try parseStarNamedExpression())
        }
        try expect(closer)
        return items
    }

    /// Parses `(',' ('**' bitwise_or | expression ':' expression))* [','] '}'` after the first entry.
    mutating func parseRemainingDictEntries(_ first: [DictEntry]) throws(SyntaxError) -> [DictEntry] {
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

    func rejectStarredElement(_ element: Expr) throws(SyntaxError) {
        if case .starred = element.kind {
            throw SyntaxError("iterable unpacking cannot be used in comprehension", at: element.location)
        }
    }

    /// for_if_clauses: ('for' star_targets 'in' disjunction ('if' disjunction)*)+
    mutating func parseComprehensionClauses() throws(SyntaxError) -> [Comprehension] {
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
