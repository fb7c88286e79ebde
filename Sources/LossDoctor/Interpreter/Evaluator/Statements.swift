/// How a block of statements ended.
enum Flow {
    case normal
    case returned(Value)
    case breakLoop
    case continueLoop
}

extension Interpreter {
    /// Runs statements in order until one changes the flow.
    func execute(_ statements: [Stmt], in scope: Scope) throws -> Flow {
        for statement in statements {
            let flow = try execute(statement, in: scope)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    /// Runs one statement.
    func execute(_ statement: Stmt, in scope: Scope) throws -> Flow {
        try step(statement.location)
        switch statement.kind {
        case .expression(let expression):
            if case .string(let literal) = expression.kind, literal.kind != .formatted { return .normal }  // a docstring
            let result = try evaluate(expression, in: scope)
            try bindInPlaceResult(result, of: expression, in: scope)
        case .assign(let targets, let valueExpression):
            let value = try evaluate(valueExpression, in: scope)
            for target in targets { try assign(value, to: target, in: scope) }
        case .augmentedAssign(let target, let op, let valueExpression, let operatorLocation):
            let current = try evaluate(target, in: scope)
            let value = try evaluate(valueExpression, in: scope)
            try assign(try binary(op, current, value, at: site(operatorLocation)), to: target, in: scope)
        case .annotatedAssign(let target, _, let valueExpression):
            if let valueExpression { try assign(try evaluate(valueExpression, in: scope), to: target, in: scope) }
        case .functionDef(let definition):
            scope[definition.name] = try makeFunction(definition, in: scope)
        case .classDef(let definition):
            scope[definition.name] = try decorate(.userClass(try makeClass(definition, in: scope)), with: definition.decorators, in: scope)
        case .return(let expression):
            return .returned(try expression.map { try evaluate($0, in: scope) } ?? .none)
        case .pass:
            break
        case .break:
            return .breakLoop
        case .continue:
            return .continueLoop
        case .if(let test, let body, let orElse):
            return try execute(try truthy(evaluate(test, in: scope), at: site(test.location)) ? body : orElse, in: scope)
        case .for(let target, let iterable, let body, let orElse):
            for item in try iterate(evaluate(iterable, in: scope), at: site(iterable.location)) {
                try step(statement.location)
                try assign(item, to: target, in: scope)
                switch try execute(body, in: scope) {
                case .normal, .continueLoop: continue
                case .breakLoop: return .normal
                case .returned(let value): return .returned(value)
                }
            }
            return try execute(orElse, in: scope)
        case .while(let test, let body, let orElse):
            while try truthy(evaluate(test, in: scope), at: site(test.location)) {
                try step(statement.location)
                switch try execute(body, in: scope) {
                case .normal, .continueLoop: continue
                case .breakLoop: return .normal
                case .returned(let value): return .returned(value)
                }
            }
            return try execute(orElse, in: scope)
        case .assert(let test, let message):
            if try !truthy(evaluate(test, in: scope), at: site(test.location)) {
                let text = try message.map { try display(evaluate($0, in: scope)) } ?? ""
                throw InterpreterError(.pythonError, "AssertionError\(text.isEmpty ? "" : ": \(text)")", at: site(statement.location))
            }
        case .raise(let exception, _):
            guard let exception else {
                if let handled = handledErrors.last { throw handled }
                throw InterpreterError(.pythonError, "RuntimeError: No active exception to reraise", at: site(statement.location))
            }
            throw try raised(evaluate(exception, in: scope), at: site(statement.location))
        case .import(let aliases):
            for alias in aliases { try importModule(alias, into: scope) }
        case .importFrom(let module, let names, let level):
            try importNames(from: module, names, level: level, at: statement.location, into: scope)
        case .global(let names):
            scope.globalNames.formUnion(names)
        case .nonlocal(let names):
            for name in names {
                scope.nonlocalNames.insert(name)
                if scope.binding(name) === scope {
                    throw InterpreterError(.pythonError, "SyntaxError: no binding for nonlocal '\(name)' found", at: site(statement.location))
                }
            }
        case .try(let body, let handlers, let orElse, let finally):
            return try executeTry(body, handlers, orElse, finally, in: scope)
        case .with(let items, let body):
            return try executeWith(items[...], body, in: scope, at: statement.location)
        case .delete(let targets):
            for target in targets { try delete(target, in: scope) }
        }
        return .normal
    }

    func unsupported(_ construct: String, at location: SourcePosition) -> InterpreterError {
        InterpreterError(.unsupportedSyntax, "\(construct) is outside the Python subset LossDoctor evaluates", at: site(location),
                         hint: "loss functions rarely need it; move it out of the loss")
    }

    /// A `def`: evaluates its defaults now, as Python does, then applies its decorators (`Decorators`).
    /// A `def`: the function closes over `scope`; its defaults and decorators are evaluated where the `def`
    /// runs, `namespace` (a class body, for a method: `@name.setter` names the property defined above it).
    func makeFunction(_ definition: FunctionDef, in scope: Scope, namespace: Scope? = nil) throws -> Value {
        let namespace = namespace ?? scope
        var defaults: [String: Value] = [:]
        for parameter in definition.parameters.positional + definition.parameters.keywordOnly {
            if let expression = parameter.defaultValue { defaults[parameter.name] = try evaluate(expression, in: namespace) }
        }
        let function = FunctionValue(name: definition.name, parameters: definition.parameters, body: .statements(definition.body),
                                     closure: scope, defaults: defaults, location: definition.nameLocation, file: scope.file)
        return try decorate(.function(function), with: definition.decorators, in: namespace)
    }

    /// A `class`: evaluates its bases and runs its body in a namespace of its own.
    func makeClass(_ definition: ClassDef, in scope: Scope) throws -> ClassValue {
        let bases = try definition.bases.map { try evaluate($0, in: scope) }
        for case .userClass(let base) in bases where base.mro.count >= ClassValue.maximumHierarchy {
            throw InterpreterError(.limit, "the class hierarchy of `\(definition.name)` is deeper than \(ClassValue.maximumHierarchy) classes",
                                   at: site(definition.nameLocation), hint: "loss classes are a few levels deep; flatten the hierarchy")
        }
        let body = Scope(parent: scope, file: scope.file)
        for statement in definition.body {
            switch statement.kind {
            case .functionDef(let method):
                // Methods close over the enclosing scope, not the class body (Python's rule).
                body[method.name] = try makeFunction(method, in: scope, namespace: body)
            default:
                _ = try execute(statement, in: body)
            }
        }
        let cls = ClassValue(name: definition.name, bases: bases, attributes: body.variables, location: definition.nameLocation,
                             definition: definition)
        for case .function(let method) in cls.attributes.values where method.owner == nil { method.owner = cls }
        if ClassValue.derivesFromEnum(bases) { try makeEnumMembers(of: cls) }
        return cls
    }

    /// Binds a value to an assignment target: a name, an unpacking, an attribute or an item.
    /// `onehot.scatter_(1, index, 1.0)` as a statement: PyTorch writes into `onehot`. The interpreter's tensors
    /// are values and its in-place methods return the written tensor, so that tensor is bound back to the
    /// name or attribute the method was called on (aliases of the old tensor keep it).
    func bindInPlaceResult(_ result: Value, of expression: Expr, in scope: Scope) throws {
        guard case .tensor = result, case .call(let callee, _) = expression.kind,
              case .attribute(let receiver, let method, _) = callee.kind,
              method.hasSuffix("_"), !method.hasPrefix("_") else { return }
        func isPlace(_ e: Expr) -> Bool {
            switch e.kind {
            case .name: return true
            case .attribute(let base, _, _): return isPlace(base)
            default: return false
            }
        }
        guard isPlace(receiver), case .tensor = try evaluate(receiver, in: scope) else { return }
        try assign(result, to: receiver, in: scope)
    }

    /// The assignable expression an output argument names: a name, or an attribute or item of a place; of a
    /// conditional (`out[c] if out is not None else None`, as MONAI passes SciPy's outputs), the branch its test
    /// chooses, the test evaluated again. Nil for a temporary, which nothing else sees.
    func place(_ expression: Expr, in scope: Scope) throws -> Expr? {
        switch expression.kind {
        case .name: return expression
        case .attribute(let base, _, _), .subscript(let base, _):
            guard let inner = try place(base, in: scope), inner == base else { return nil }
            return expression
        case .conditional(let test, let body, let orElse):
            return try place(truthy(evaluate(test, in: scope), at: site(test.location)) ? body : orElse, in: scope)
        default: return nil
        }
    }

    func assign(_ value: Value, to target: Expr, in scope: Scope) throws {
        switch target.kind {
        case .name(let name):
            let owner = scope.binding(name)
            if owner !== scope { try retain(value, into: 0, at: site(target.location)) }  // outlives the call
            owner[name] = value
        case .tuple(let targets), .list(let targets):
            let items = try iterate(value, at: site(target.location))
            let starIndex = targets.firstIndex { if case .starred = $0.kind { true } else { false } }
            if let starIndex {
                let after = targets.count - starIndex - 1
                guard items.count >= targets.count - 1 else {
                    throw InterpreterError(.pythonError, "ValueError: not enough values to unpack", at: site(target.location))
                }
                for i in 0..<starIndex { try assign(items[i], to: targets[i], in: scope) }
                if case .starred(let inner) = targets[starIndex].kind {
                    try assign(.list(ListBox(Array(items[starIndex..<(items.count - after)]))), to: inner, in: scope)
                }
                for i in 0..<after { try assign(items[items.count - after + i], to: targets[starIndex + 1 + i], in: scope) }
            } else {
                guard items.count == targets.count else {
                    throw InterpreterError(.pythonError, "ValueError: \(items.count < targets.count ? "not enough" : "too many") values to unpack (expected \(targets.count), got \(items.count))", at: site(target.location))
                }
                for (item, t) in zip(items, targets) { try assign(item, to: t, in: scope) }
            }
        case .attribute(let objectExpression, let name, _):
            let object = try evaluate(objectExpression, in: scope)
            switch object {
            case .instance(let instance):
                if case .function(let property)? = instance.cls.lookup(name), property.binding == .property {
                    guard let setter = property.setter else {
                        throw InterpreterError(.pythonError, "AttributeError: property '\(name)' of '\(instance.cls.name)' object has no setter", at: site(target.location))
                    }
                    _ = try invoke(setter, [object, value], [], site: site(target.location))
                    return
                }
                try retain(value, into: instance.epoch, at: site(target.location))
                instance.attributes[name] = value
            case .userClass(let cls):
                try retain(value, into: cls.epoch, at: site(target.location))
                cls.attributes[name] = value
            case .exception where ExceptionValue.writableAttributes.contains(name):
                return  // `e.__traceback__ = None`: no traceback is modelled
            default:
                throw InterpreterError(.pythonError, "AttributeError: cannot set attribute '\(name)' on \(object.typeName)", at: site(target.location))
            }
        case .subscript(let objectExpression, let indexExpression):
            let object = try evaluate(objectExpression, in: scope)
            let index = try evaluate(indexExpression, in: scope)
            switch object {
            case .list(let box):
                guard case .int(let i) = index, let position = Self.normalize(i, count: box.items.count) else {
                    throw InterpreterError(.pythonError, "IndexError: list assignment index out of range", at: site(target.location))
                }
                try retain(value, into: box.epoch, at: site(target.location))
                box.items[position] = value
            case .dict(let box):
                guard let key = DictKey(index) else {
                    throw InterpreterError(.pythonError, "TypeError: unhashable type: '\(index.typeName)'", at: site(target.location))
                }
                try retain(value, into: box.epoch, at: site(target.location))
                box[key] = value
            case .tensor(let tensor):
                // PyTorch and NumPy write in place; the interpreter's tensors are values, so the written
                // tensor is rebuilt from engine ops (a `where` blend) and bound where the old one was.
                let updated = try assignItems(of: tensor, at: index, value, site: site(target.location))
                try assign(.tensor(updated), to: objectExpression, in: scope)
            default:
                throw InterpreterError(.pythonError, "TypeError: '\(object.typeName)' object does not support item assignment", at: site(target.location))
            }
        case .starred:
            throw InterpreterError(.pythonError, "SyntaxError: starred assignment target must be in a list or tuple", at: site(target.location))
        default:
            throw InterpreterError(.pythonError, "SyntaxError: cannot assign to this expression", at: site(target.location))
        }
    }

    /// A Python index into a sequence of `count`, or nil when out of range.
    static func normalize(_ index: Int, count: Int) -> Int? {
        let i = index < 0 ? index + count : index
        return i >= 0 && i < count ? i : nil
    }
}
