/// Visits every expression under statements or an expression, depth first: the one traversal the
/// static checks (discovery, unused parameters) share.
enum ASTWalk {
    static func expressions(in statements: [Stmt], _ visit: (Expr) -> Void) {
        for statement in statements { expressions(in: statement, visit) }
    }

    static func expressions(in statement: Stmt, _ visit: (Expr) -> Void) {
        func all(_ list: [Expr]) { for e in list { expressions(in: e, visit) } }
        switch statement.kind {
        case .expression(let e), .return(.some(let e)): expressions(in: e, visit)
        case .assign(let targets, let value): all(targets + [value])
        case .augmentedAssign(let target, _, let value, _): all([target, value])
        case .annotatedAssign(let target, _, let value): all([target] + (value.map { [$0] } ?? []))
        case .functionDef(let definition):
            all((definition.parameters.positional + definition.parameters.keywordOnly).compactMap(\.defaultValue))
            expressions(in: definition.body, visit)
        case .classDef(let definition):
            all(definition.arguments.map(\.value))
            expressions(in: definition.body, visit)
        case .if(let test, let body, let orElse), .while(let test, let body, let orElse):
            expressions(in: test, visit)
            expressions(in: body + orElse, visit)
        case .for(let target, let iterable, let body, let orElse):
            all([target, iterable])
            expressions(in: body + orElse, visit)
        case .try(let body, let handlers, let orElse, let finally):
            all(handlers.compactMap(\.type))
            expressions(in: body + handlers.flatMap(\.body) + orElse + finally, visit)
        case .with(let items, let body):
            all(items.map(\.context) + items.compactMap(\.target))
            expressions(in: body, visit)
        case .assert(let test, let message): all([test] + (message.map { [$0] } ?? []))
        case .raise(let exception, let cause): all([exception, cause].compactMap { $0 })
        case .delete(let targets): all(targets)
        case .return(.none), .pass, .break, .continue, .global, .nonlocal, .import, .importFrom: break
        }
    }

    static func expressions(in expression: Expr, _ visit: (Expr) -> Void) {
        visit(expression)
        func all(_ list: [Expr]) { for e in list { expressions(in: e, visit) } }
        func clauses(_ list: [Comprehension]) { for c in list { all([c.target, c.iterable] + c.conditions) } }
        switch expression.kind {
        case .name, .integer, .float, .string, .boolean, .none, .ellipsis: break
        case .binary(_, let a, let b, _), .logical(_, let a, let b, _): all([a, b])
        case .unary(_, let a), .starred(let a): all([a])
        case .yield(let value, _): all(value.map { [$0] } ?? [])
        case .compare(let first, let rest): all([first] + rest.map(\.right))
        case .conditional(let test, let body, let orElse): all([test, body, orElse])
        case .lambda(let parameters, let body):
            all((parameters.positional + parameters.keywordOnly).compactMap(\.defaultValue) + [body])
        case .call(let callee, let arguments): all([callee] + arguments.map(\.value))
        case .attribute(let object, _, _): all([object])
        case .subscript(let object, let index): all([object, index])
        case .slice(let lower, let upper, let step): all([lower, upper, step].compactMap { $0 })
        case .tuple(let items), .list(let items), .set(let items): all(items)
        case .dict(let entries):
            for entry in entries {
                switch entry {
                case .pair(let key, let value): all([key, value])
                case .unpack(let value): all([value])
                }
            }
        case .listComprehension(let element, let cs), .setComprehension(let element, let cs), .generator(let element, let cs):
            all([element])
            clauses(cs)
        case .dictComprehension(let key, let value, let cs):
            all([key, value])
            clauses(cs)
        }
    }

    /// The module-level names a statement binds (assignments, imports, definitions, and those inside its
    /// blocks), in source order.
    static func boundNames(by statement: Stmt) -> [String] {
        func targets(_ e: Expr) -> [String] {
            switch e.kind {
            case .name(let name): [name]
            case .tuple(let items), .list(let items): items.flatMap(targets)
            case .starred(let inner): targets(inner)
            default: []
            }
        }
        func all(_ statements: [Stmt]) -> [String] { statements.flatMap(boundNames(by:)) }
        switch statement.kind {
        case .assign(let list, _): return list.flatMap(targets)
        case .augmentedAssign(let target, _, _, _), .annotatedAssign(let target, _, _): return targets(target)
        case .functionDef(let definition): return [definition.name]
        case .classDef(let definition): return [definition.name]
        case .import(let aliases):
            return aliases.map { $0.asName ?? String($0.name.split(separator: ".").first ?? "") }
        case .importFrom(_, let aliases, _): return aliases.filter { $0.name != "*" }.map { $0.asName ?? $0.name }
        case .if(_, let body, let orElse), .while(_, let body, let orElse): return all(body + orElse)
        case .for(let target, _, let body, let orElse): return targets(target) + all(body + orElse)
        case .try(let body, let handlers, let orElse, let finally): return all(body + handlers.flatMap(\.body) + orElse + finally)
        case .with(let items, let body): return items.compactMap(\.target).flatMap(targets) + all(body)
        default: return []
        }
    }

    /// The top-level package of every module the statements import (`import torch.nn as nn` and
    /// `from monai.losses import DiceLoss` give `torch` and `monai`), at any depth (`try: import ...`).
    /// Relative imports name no package.
    static func importedPackages(in statements: [Stmt]) -> Set<String> {
        var packages = Set<String>()
        func visit(_ statements: [Stmt]) {
            for statement in statements {
                switch statement.kind {
                case .import(let aliases):
                    for alias in aliases { packages.insert(String(alias.name.prefix { $0 != "." })) }
                case .importFrom(.some(let module), _, 0): packages.insert(String(module.prefix { $0 != "." }))
                case .if(_, let body, let orElse), .while(_, let body, let orElse), .for(_, _, let body, let orElse):
                    visit(body + orElse)
                case .try(let body, let handlers, let orElse, let finally): visit(body + handlers.flatMap(\.body) + orElse + finally)
                case .with(_, let body): visit(body)
                case .functionDef(let definition): visit(definition.body)
                case .classDef(let definition): visit(definition.body)
                default: break
                }
            }
        }
        visit(statements)
        return packages
    }

    /// Every name read under the statements.
    static func names(in statements: [Stmt]) -> Set<String> {
        var names = Set<String>()
        expressions(in: statements) { if case .name(let n) = $0.kind { names.insert(n) } }
        return names
    }

    /// The names passed as a `loss=` keyword anywhere (`model.compile(loss=dice_score)`,
    /// `compile(loss=[a, b])`, `loss={"out": a}`): functions the file itself uses as losses.
    static func namesPassedAsLoss(in statements: [Stmt]) -> Set<String> {
        var names = Set<String>()
        expressions(in: statements) { e in
            guard case .call(_, let arguments) = e.kind else { return }
            for argument in arguments {
                guard case .keyword("loss", let value) = argument.kind else { continue }
                expressions(in: value) { if case .name(let n) = $0.kind { names.insert(n) } }
            }
        }
        return names
    }

    /// Every `self.<attribute>` read under the statements (as a load, or anywhere for simplicity).
    static func selfAttributes(in statements: [Stmt]) -> Set<String> {
        var names = Set<String>()
        expressions(in: statements) { e in
            if case .attribute(let object, let name, _) = e.kind, case .name("self") = object.kind { names.insert(name) }
        }
        return names
    }
}
