/// Compact S-expression rendering of the AST, for tests and debugging (locations are omitted).
extension Expr: CustomDebugStringConvertible {
    /// The expression as an S-expression, e.g. `(- (** x 2))` for `-x**2`.
    var sExpression: String {
        switch kind {
        case .name(let name): return name
        case .integer(let text, _): return text
        case .float(let value): return "\(value)"
        case .string(let literal):
            let prefix = literal.kind == .bytes ? "b" : (literal.kind == .formatted ? "f" : "")
            return prefix + literal.value.debugDescription
        case .boolean(let value): return value ? "True" : "False"
        case .none: return "None"
        case .ellipsis: return "..."
        case .binary(let op, let left, let right, _): return "(\(op.rawValue) \(left.sExpression) \(right.sExpression))"
        case .unary(let op, let operand): return "(\(op.rawValue) \(operand.sExpression))"
        case .logical(let op, let left, let right, _): return "(\(op.rawValue) \(left.sExpression) \(right.sExpression))"
        case .compare(let left, let links):
            if links.count == 1 {
                return "(\(links[0].op.rawValue) \(left.sExpression) \(links[0].right.sExpression))"
            }
            return "(compare \(left.sExpression)" + links.map { " \($0.op.rawValue) \($0.right.sExpression)" }.joined() + ")"
        case .conditional(let test, let body, let orElse):
            return "(if \(test.sExpression) \(body.sExpression) \(orElse.sExpression))"
        case .lambda(let parameters, let body):
            return "(lambda (\(parameters.sExpression)) \(body.sExpression))"
        case .call(let callee, let arguments):
            return "(call \(callee.sExpression)" + arguments.map { " " + $0.sExpression }.joined() + ")"
        case .attribute(let value, let name, _): return "(. \(value.sExpression) \(name))"
        case .subscript(let value, let index): return "([] \(value.sExpression) \(index.sExpression))"
        case .slice(let lower, let upper, let step):
            return "(slice \(lower?.sExpression ?? "_") \(upper?.sExpression ?? "_") \(step?.sExpression ?? "_"))"
        case .tuple(let items): return Expr.list("tuple", items.map(\.sExpression))
        case .list(let items): return Expr.list("list", items.map(\.sExpression))
        case .set(let items): return Expr.list("set", items.map(\.sExpression))
        case .dict(let entries):
            return Expr.list("dict", entries.map { entry in
                switch entry {
                case .pair(let key, let value): return "(\(key.sExpression) \(value.sExpression))"
                case .unpack(let mapping): return "(** \(mapping.sExpression))"
                }
            })
        case .starred(let value): return "(* \(value.sExpression))"
        case .listComprehension(let element, let clauses):
            return Expr.list("listcomp", [element.sExpression] + clauses.map(\.sExpression))
        case .setComprehension(let element, let clauses):
            return Expr.list("setcomp", [element.sExpression] + clauses.map(\.sExpression))
        case .dictComprehension(let key, let value, let clauses):
            return Expr.list("dictcomp", [key.sExpression, value.sExpression] + clauses.map(\.sExpression))
        case .generator(let element, let clauses):
            return Expr.list("genexp", [element.sExpression] + clauses.map(\.sExpression))
        case .yield(let value, let from):
            return Expr.list(from ? "yield-from" : "yield", value.map { [$0.sExpression] } ?? [])
        }
    }

    /// The S-expression rendering.
    var debugDescription: String { sExpression }

    static func list(_ head: String, _ items: [String]) -> String {
        "(" + ([head] + items).joined(separator: " ") + ")"
    }
}

extension Argument {
    /// The argument as an S-expression: bare value, `(kw name value)`, `(* value)` or `(** value)`.
    var sExpression: String {
        switch kind {
        case .positional(let value): return value.sExpression
        case .keyword(let name, let value): return "(kw \(name) \(value.sExpression))"
        case .unpackedSequence(let value): return "(* \(value.sExpression))"
        case .unpackedMapping(let value): return "(** \(value.sExpression))"
        }
    }
}

extension Comprehension {
    /// The clause as `(for target iterable (if condition)...)`.
    var sExpression: String {
        Expr.list("for", [target.sExpression, iterable.sExpression] + conditions.map { "(if \($0.sExpression))" })
    }
}

extension Parameters {
    /// The parameters space-separated: `a`, `(= b default)`, `(: c annotation)`, `/`, `(* args)`, `*`, `(** kw)`.
    var sExpression: String {
        func render(_ parameter: Parameter) -> String {
            var text = parameter.name
            if let annotation = parameter.annotation { text = "(: \(text) \(annotation.sExpression))" }
            if let value = parameter.defaultValue { text = "(= \(text) \(value.sExpression))" }
            return text
        }
        var parts = positional.map(render)
        if positionalOnlyCount > 0 { parts.insert("/", at: positionalOnlyCount) }
        if let variadic { parts.append("(* \(render(variadic)))") } else if !keywordOnly.isEmpty { parts.append("*") }
        parts += keywordOnly.map(render)
        if let keywordVariadic { parts.append("(** \(render(keywordVariadic)))") }
        return parts.joined(separator: " ")
    }
}

extension Stmt: CustomDebugStringConvertible {
    /// The statement as an S-expression, e.g. `(= (x) 1)` or `(def f (a b) ((return a)))`.
    var sExpression: String {
        func block(_ statements: [Stmt]) -> String { "(" + statements.map(\.sExpression).joined(separator: " ") + ")" }
        switch kind {
        case .expression(let value): return value.sExpression
        case .assign(let targets, let value):
            return "(= (\(targets.map(\.sExpression).joined(separator: " "))) \(value.sExpression))"
        case .augmentedAssign(let target, let op, let value, _):
            return "(\(op.rawValue)= \(target.sExpression) \(value.sExpression))"
        case .annotatedAssign(let target, let annotation, let value):
            return "(: \(target.sExpression) \(annotation.sExpression)" + (value.map { " " + $0.sExpression } ?? "") + ")"
        case .functionDef(let definition):
            let decorators = definition.decorators.map { "(@ \($0.sExpression)) " }.joined()
            let returns = definition.returnAnnotation.map { " (-> \($0.sExpression))" } ?? ""
            return "(def \(decorators)\(definition.name) (\(definition.parameters.sExpression))\(returns) \(block(definition.body)))"
        case .classDef(let definition):
            let decorators = definition.decorators.map { "(@ \($0.sExpression)) " }.joined()
            let arguments = definition.arguments.map(\.sExpression).joined(separator: " ")
            return "(class \(decorators)\(definition.name) (\(arguments)) \(block(definition.body)))"
        case .return(let value): return value.map { "(return \($0.sExpression))" } ?? "(return)"
        case .pass: return "pass"
        case .break: return "break"
        case .continue: return "continue"
        case .if(let test, let body, let orElse):
            return "(if \(test.sExpression) \(block(body))" + (orElse.isEmpty ? "" : " \(block(orElse))") + ")"
        case .for(let target, let iterable, let body, let orElse):
            return "(for \(target.sExpression) \(iterable.sExpression) \(block(body))" + (orElse.isEmpty ? "" : " \(block(orElse))") + ")"
        case .while(let test, let body, let orElse):
            return "(while \(test.sExpression) \(block(body))" + (orElse.isEmpty ? "" : " \(block(orElse))") + ")"
        case .try(let body, let handlers, let orElse, let finally):
            let renderedHandlers = handlers.map { handler in
                "(except" + (handler.type.map { " " + $0.sExpression } ?? "") + (handler.name.map { " (as \($0))" } ?? "") + " \(block(handler.body)))"
            }
            var parts = ["try", block(body)] + renderedHandlers
            if !orElse.isEmpty { parts.append("(else \(block(orElse)))") }
            if !finally.isEmpty { parts.append("(finally \(block(finally)))") }
            return "(" + parts.joined(separator: " ") + ")"
        case .with(let items, let body):
            let renderedItems = items.map { item in
                item.target.map { "(as \(item.context.sExpression) \($0.sExpression))" } ?? item.context.sExpression
            }
            return "(with (\(renderedItems.joined(separator: " "))) \(block(body)))"
        case .assert(let test, let message):
            return "(assert \(test.sExpression)" + (message.map { " " + $0.sExpression } ?? "") + ")"
        case .raise(let exception, let cause):
            return "(raise" + (exception.map { " " + $0.sExpression } ?? "") + (cause.map { " (from \($0.sExpression))" } ?? "") + ")"
        case .global(let names): return Expr.list("global", names)
        case .nonlocal(let names): return Expr.list("nonlocal", names)
        case .delete(let targets): return Expr.list("del", targets.map(\.sExpression))
        case .import(let aliases): return Expr.list("import", aliases.map(\.sExpression))
        case .importFrom(let module, let names, let level):
            let source = String(repeating: ".", count: level) + (module ?? "")
            return Expr.list("from", [source] + names.map(\.sExpression))
        }
    }

    /// The S-expression rendering.
    var debugDescription: String { sExpression }
}

extension ImportAlias {
    /// The alias as `name` or `(as name asName)`.
    var sExpression: String { asName.map { "(as \(name) \($0))" } ?? name }
}

extension Module {
    /// All statements rendered as S-expressions, one per line.
    var sExpression: String { statements.map(\.sExpression).joined(separator: "\n") }
}
