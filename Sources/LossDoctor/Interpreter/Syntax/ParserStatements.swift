/// The statements of the Python subset: blocks, simple statements, imports, definitions and compound statements.
extension Parser {
    /// statement: compound_stmt | simple_stmts
    mutating func parseStatement() throws(SyntaxError) -> [Stmt] {
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
    mutating func parseBlock(after header: String, line: Int) throws(SyntaxError) -> [Stmt] {
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
    mutating func parseColonAndBlock(after header: String, line: Int) throws(SyntaxError) -> [Stmt] {
        try expect(.colon)
        return try parseBlock(after: header, line: line)
    }

    /// simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
    mutating func parseSimpleStatements() throws(SyntaxError) -> [Stmt] {
        var statements = [try parseSimpleStatement()]
        while accept(.semicolon) != nil && current.kind != .newline {
            statements.append(try parseSimpleStatement())
        }
        guard accept(.newline) != nil else { throw invalidSyntax() }
        return statements
    }

    /// simple_stmt: assignment | star_expressions | return_stmt | import_stmt | raise_stmt | 'pass'
    ///     | del_stmt | assert_stmt | 'break' | 'continue' | global_stmt | nonlocal_stmt
    mutating func parseSimpleStatement() throws(SyntaxError) -> Stmt {
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
    mutating func parseRaise() throws(SyntaxError) -> Stmt {
        let start = advance().location
        guard Parser.canStartExpression(current.kind) else {
            return Stmt(.raise(exception: nil, cause: nil), at: start)
        }
        let exception = try parseExpression()
        let cause = accept(.from) != nil ? try parseExpression() : nil
        return Stmt(.raise(exception: exception, cause: cause), at: start)
    }

    /// del_stmt: 'del' del_targets
    mutating func parseDelete() throws(SyntaxError) -> Stmt {
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
    mutating func parseImport() throws(SyntaxError) -> Stmt {
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
    mutating func parseFromImport() throws(SyntaxError) -> Stmt {
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
    mutating func parseDottedName() throws(SyntaxError) -> String {
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
    mutating func parseExpressionStatement() throws(SyntaxError) -> Stmt {
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
    func validateTarget(
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
    static func describe(_ expr: Expr, forAugmentedAssignment: Bool) -> String {
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
    mutating func parseDecorated() throws(SyntaxError) -> Stmt {
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
    mutating func parseFunctionDef(decorators: [Expr]) throws(SyntaxError) -> Stmt {
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
    mutating func parseParameters(terminator: Operator, allowAnnotations: Bool) throws(SyntaxError) -> Parameters {
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
    mutating func parseParameter(allowAnnotation: Bool, defaultError: String?) throws(SyntaxError) -> Parameter {
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
    mutating func parseClassDef(decorators: [Expr]) throws(SyntaxError) -> Stmt {
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
    mutating func parseIf() throws(SyntaxError) -> Stmt {
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
    mutating func parseElseBlock() throws(SyntaxError) -> [Stmt] {
        guard let elseToken = accept(.else) else { return [] }
        return try parseColonAndBlock(after: "'else' statement", line: elseToken.location.line)
    }

    /// for_stmt: 'for' star_targets 'in' star_expressions ':' block [else_block]
    mutating func parseFor() throws(SyntaxError) -> Stmt {
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
    mutating func parseWhile() throws(SyntaxError) -> Stmt {
        let start = advance().location
        let test = try parseNamedExpression()
        let body = try parseColonAndBlock(after: "'while' statement", line: start.line)
        let orElse = try parseElseBlock()
        return Stmt(.while(test: test, body: body, orElse: orElse), at: start)
    }

    /// try_stmt: 'try' ':' block (except_block+ [else_block] [finally_block] | finally_block)
    /// except_block: 'except' [expression ['as' NAME]] ':' block
    mutating func parseTry() throws(SyntaxError) -> Stmt {
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
    mutating func parseWith() throws(SyntaxError) -> Stmt {
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
    mutating func parseTargetList() throws(SyntaxError) -> Expr {
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
    mutating func parseTargetItem() throws(SyntaxError) -> Expr {
        if let star = accept(.star) {
            return Expr(.starred(try parseBitwiseOr()), at: star.location)
        }
        return try parseBitwiseOr()
    }
}
