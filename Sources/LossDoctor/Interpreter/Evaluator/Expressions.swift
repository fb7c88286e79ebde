extension Interpreter {
    /// Evaluates an expression. Tensor ops created here are attributed to the expression's location
    /// (for operators, the operator's own location), so a finding can point at `//` itself.
    func evaluate(_ expression: Expr, in scope: Scope) throws -> Value {
        let here = site(expression.location)
        switch expression.kind {
        case .name(let name):
            if let value = scope.lookup(name) {
                if case .unavailable(let failure) = value { throw failure }
                return value
            }
            if let builtin = BuiltinRegistry.pythonBuiltin(name) { return builtin }
            if name == "__debug__" { return .bool(true) }  // Python without -O, as training runs
            throw InterpreterError(.pythonError, "NameError: name '\(name)' is not defined", at: here)
        case .integer(let text, let value):
            if let value { return .int(value) }
            // Beyond 64 bits an int is approximated by a double; beyond a double it is outside the subset.
            guard let approximate = Double(text.filter { $0 != "_" }), approximate.isFinite else {
                throw InterpreterError(.unsupportedSyntax, "the integer literal \(text.prefix(12))... (\(text.count) digits) is beyond the numbers LossDoctor evaluates (64-bit integers, doubles up to 1.8e308)",
                                       at: here, hint: "write the constant as a float, or compute it outside the loss")
            }
            return .float(approximate)
        case .float(let value): return .float(value)
        case .string(let literal):
            if literal.kind == .formatted { return .string(try formatted(literal.value, in: scope, at: here, contentStart: literal.contentStart)) }
            return .string(literal.value)
        case .boolean(let value): return .bool(value)
        case .none: return .none
        case .ellipsis: return .ellipsis
        case .binary(let op, let left, let right, let operatorLocation):
            let a = try evaluate(left, in: scope)
            let b = try evaluate(right, in: scope)
            return try binary(op, a, b, at: site(operatorLocation, text: op.rawValue))
        case .unary(let op, let operand):
            return try unary(op, try evaluate(operand, in: scope), at: here)
        case .logical(let op, let left, let right, let operatorLocation):
            let a = try evaluate(left, in: scope)
            let isTrue = try truthy(a, at: site(operatorLocation))
            switch op {
            case .and: return isTrue ? try evaluate(right, in: scope) : a
            case .or: return isTrue ? a : try evaluate(right, in: scope)
            }
        case .compare(let first, let clauses):
            var left = try evaluate(first, in: scope)
            var result: Value = .bool(true)
            for clause in clauses {
                let right = try evaluate(clause.right, in: scope)
                result = try compare(clause.op, left, right, at: site(clause.operatorLocation))
                if clauses.count > 1, try !truthy(result, at: site(clause.operatorLocation)) { return result }
                left = right
            }
            return result
        case .conditional(let test, let body, let orElse):
            return try evaluate(truthy(evaluate(test, in: scope), at: site(test.location)) ? body : orElse, in: scope)
        case .lambda(let parameters, let body):
            var defaults: [String: Value] = [:]
            for parameter in parameters.positional + parameters.keywordOnly {
                if let value = parameter.defaultValue { defaults[parameter.name] = try evaluate(value, in: scope) }
            }
            return .function(FunctionValue(name: "<lambda>", parameters: parameters, body: .expression(body), closure: scope,
                                           defaults: defaults, location: expression.location, file: scope.file))
        case .call(let calleeExpression, let arguments):
            let callee = try evaluate(calleeExpression, in: scope)
            var positional: [Value] = []
            var keywords: [(name: String, value: Value)] = []
            for argument in arguments {
                switch argument.kind {
                case .positional(let value): positional.append(try evaluate(value, in: scope))
                case .keyword(let name, let value): keywords.append((name, try evaluate(value, in: scope)))
                case .unpackedSequence(let value):
                    let items = try iterate(evaluate(value, in: scope), at: site(argument.location))
                    try allocate(items: positional.count + items.count, at: site(argument.location))  // `f(*a, *a)` doubles
                    positional += items
                case .unpackedMapping(let value):
                    guard case .dict(let box) = try evaluate(value, in: scope) else {
                        throw InterpreterError(.pythonError, "TypeError: argument after ** must be a mapping", at: site(argument.location))
                    }
                    for (key, item) in box.entries {
                        guard case .string(let name) = key else {
                            throw InterpreterError(.pythonError, "TypeError: keywords must be strings", at: site(argument.location))
                        }
                        keywords.append((name, item))
                    }
                }
            }
            return try call(callee, positional, keywords, site: site(expression.location, text: Self.dottedName(calleeExpression)),
                            source: CallSource(arguments: arguments, scope: scope))
        case .attribute(let objectExpression, let name, let nameLocation):
            return try attribute(of: evaluate(objectExpression, in: scope), name, at: site(nameLocation))
        case .subscript(let objectExpression, let indexExpression):
            return try index(evaluate(objectExpression, in: scope), evaluate(indexExpression, in: scope), at: here)
        case .slice(let lower, let upper, let step):
            return .slice(try lower.map { try evaluate($0, in: scope) } ?? .none,
                          try upper.map { try evaluate($0, in: scope) } ?? .none,
                          try step.map { try evaluate($0, in: scope) } ?? .none)
        case .tuple(let items):
            return .tuple(try evaluateItems(items, in: scope))
        case .list(let items), .set(let items):
            return .list(ListBox(try evaluateItems(items, in: scope)))
        case .dict(let entries):
            let box = DictBox()
            for entry in entries {
                switch entry {
                case .pair(let keyExpression, let valueExpression):
                    let key = try evaluate(keyExpression, in: scope)
                    guard let dictKey = DictKey(key) else {
                        throw InterpreterError(.pythonError, "TypeError: unhashable type: '\(key.typeName)'", at: site(keyExpression.location))
                    }
                    box[dictKey] = try evaluate(valueExpression, in: scope)
                case .unpack(let valueExpression):
                    guard case .dict(let other) = try evaluate(valueExpression, in: scope) else {
                        throw InterpreterError(.pythonError, "TypeError: ** needs a mapping", at: site(valueExpression.location))
                    }
                    for (key, value) in other.entries { box[key] = value }
                }
            }
            return .dict(box)
        case .starred:
            throw InterpreterError(.pythonError, "SyntaxError: can't use starred expression here", at: here)
        case .yield:
            throw InterpreterError(.unsupportedSyntax, "a generator (`yield`) is outside the subset LossDoctor evaluates", at: here,
                                   hint: "return a list or tuple instead of yielding its items")
        case .listComprehension(let element, let clauses), .setComprehension(let element, let clauses), .generator(let element, let clauses):
            var results: [Value] = []
            try comprehend(clauses, in: Scope(parent: scope, file: scope.file)) { inner in results.append(try evaluate(element, in: inner)) }
            return .list(ListBox(results))
        case .dictComprehension(let keyExpression, let valueExpression, let clauses):
            let box = DictBox()
            try comprehend(clauses, in: Scope(parent: scope, file: scope.file)) { inner in
                let key = try evaluate(keyExpression, in: inner)
                guard let dictKey = DictKey(key) else {
                    throw InterpreterError(.pythonError, "TypeError: unhashable type: '\(key.typeName)'", at: site(keyExpression.location))
                }
                box[dictKey] = try evaluate(valueExpression, in: inner)
            }
            return .dict(box)
        }
    }

    /// `K.flatten` for a callee written as a dotted name, else nil.
    static func dottedName(_ expression: Expr) -> String? {
        switch expression.kind {
        case .name(let name): return name
        case .attribute(let object, let name, _): return dottedName(object).map { $0 + "." + name }
        default: return nil
        }
    }

    private func evaluateItems(_ items: [Expr], in scope: Scope) throws -> [Value] {
        // A 450,000-item literal in a loss is built on every probe: its items count as work.
        if let first = items.first { try work(items: items.count, at: site(first.location)) }
        var values: [Value] = []
        for item in items {
            if case .starred(let inner) = item.kind {
                let unpacked = try iterate(evaluate(inner, in: scope), at: site(item.location))
                try allocate(items: values.count + unpacked.count, at: site(item.location))  // `[*a, *a]` in a loop doubles
                values += unpacked
            } else {
                values.append(try evaluate(item, in: scope))
            }
        }
        return values
    }

    /// Runs the `for ... if ...` clauses of a comprehension, calling `body` for each binding.
    private func comprehend(_ clauses: [Comprehension], in scope: Scope, _ body: (Scope) throws -> Void) throws {
        guard let clause = clauses.first else { return try body(scope) }
        for item in try iterate(evaluate(clause.iterable, in: scope), at: site(clause.location)) {
            try step(clause.location)
            try assign(item, to: clause.target, in: scope)
            var keep = true
            for condition in clause.conditions where keep {
                keep = try truthy(evaluate(condition, in: scope), at: site(condition.location))
            }
            if keep { try comprehend(Array(clauses.dropFirst()), in: scope, body) }
        }
    }

    /// `object.name`.
    func attribute(of object: Value, _ name: String, at here: SourceSite) throws -> Value {
        switch object {
        case .tensor(let t):
            if let property = try TensorProperties.value(of: t, name, interpreter: self, at: here) { return property }
            if let method = BuiltinRegistry.method(name, on: "Tensor") { return .builtin(BuiltinValue(name: "Tensor.\(name)", function: method, receiver: object)) }
            throw InterpreterError(.unsupportedCall, "tensor attribute `.\(name)` is not one LossDoctor knows", at: here,
                                   hint: Self.unsupportedCallHint(name))
        case .module(let path):
            return BuiltinRegistry.resolve(path + "." + name)
        case .userModule(let scope):
            if case .unavailable(let failure)? = scope[name] { throw failure }
            if let value = scope[name] { return value }
            if let submodule = loader?.submodule(name, of: scope) {
                scope[name] = .userModule(submodule)
                return .userModule(submodule)
            }
            throw InterpreterError(.pythonError, "AttributeError: module has no attribute '\(name)'", at: here)
        case .instance(let instance):
            // `self.__class__.__name__`, as losses that log or repr themselves read it.
            if name == "__class__" { return .userClass(instance.cls) }
            if let value = instance.attributes[name] { return value }
            if let value = instance.cls.lookup(name) { return try bind(value, to: instance, at: here) }
            if instance.cls.frameworkBase != nil, let method = BuiltinRegistry.method(name, on: "Module") {
                return .builtin(BuiltinValue(name: "Module.\(name)", function: method, receiver: object))
            }
            // A member of a `str`/`int` enum is its value too: `Weight.SQUARE.strip()` (MONAI's look_up_option).
            if let mixed = object.mixedInEnumValue { return try attribute(of: mixed, name, at: here) }
            throw InterpreterError(.pythonError, "AttributeError: '\(instance.cls.name)' object has no attribute '\(name)'", at: here)
        case .userClass(let cls):
            if let value = cls.lookup(name) {
                if case .function(let function) = value, function.binding == .classMethod { return .classBoundMethod(cls, function) }
                return value
            }
            if name == "apply", let base = cls.frameworkBase, base.hasPrefix("torch.autograd") { return autogradApply(cls) }
            if name == "__name__" || name == "__qualname__" { return .string(cls.name) }
            if name == "__module__" { return .string("__main__") }
            throw InterpreterError(.pythonError, "AttributeError: type object '\(cls.name)' has no attribute '\(name)'", at: here)
        case .superProxy(let instance, let after):
            let order = instance.cls.mro
            let start = after.flatMap { owner in order.firstIndex { $0 === owner } }.map { $0 + 1 } ?? 1
            for cls in order.dropFirst(start) {
                if let value = cls.attributes[name] { return try bind(value, to: instance, at: here) }
            }
            if instance.cls.frameworkLossBase != nil, ["__init__", "forward", "__call__"].contains(name) {
                return .builtin(BuiltinValue(name: "super().\(name)", function: { call in
                    guard let instance = call.interpreter.currentInstance(), let base = instance.cls.frameworkLossBase else { return .none }
                    if name == "__init__" {
                        try call.interpreter.buildFrameworkLoss(base, of: instance, call.positional, call.keywords, site: call.site)
                        return .none
                    }
                    let loss = try call.interpreter.frameworkLoss(base, of: instance, site: call.site)
                    return try call.interpreter.call(loss, call.positional, call.keywords, site: call.site)
                }))
            }
            // PyTorch's `_Loss.__init__(size_average=None, reduce=None, reduction="mean")` keeps `self.reduction`
            // (and `_WeightedLoss` its `weight`), which MONAI's and others' losses read in forward.
            if name == "__init__", let base = instance.cls.frameworkBase, base.hasSuffix("._Loss") || base.hasSuffix("._WeightedLoss") {
                let weighted = base.hasSuffix("._WeightedLoss")
                return .builtin(BuiltinValue(name: "super().__init__", function: { call in
                    let args = try call.bind(weighted ? "weight=None, size_average=None, reduce=None, reduction='mean'" : "size_average=None, reduce=None, reduction='mean'")
                    guard let receiver = call.interpreter.currentInstance() else { return .none }
                    receiver.attributes["reduction"] = args["reduction"]
                    if weighted { receiver.attributes["weight"] = args["weight"] }
                    return .none
                }))
            }
            // Other framework bases (nn.Module, keras.losses.Loss): their __init__ and friends change nothing we model.
            return .builtin(BuiltinValue(name: "super().\(name)", function: { _ in .none }))
        // A tensor's device is modelled by its name (`x.device == "cpu"`); kornia reads `x.device.type`.
        case .string(let device) where TensorProperties.deviceNames.contains(device) && (name == "type" || name == "index"):
            return name == "type" ? object : .none
        case .list, .dict, .string, .tuple:
            if let method = BuiltinRegistry.method(name, on: object.typeName) {
                return .builtin(BuiltinValue(name: "\(object.typeName).\(name)", function: method, receiver: object))
            }
            throw InterpreterError(.pythonError, "AttributeError: '\(object.typeName)' object has no attribute '\(name)'", at: here)
        case .exception(let exception):
            if let value = exception.attribute(name, of: object) { return value }
            throw InterpreterError(.pythonError, "AttributeError: '\(exception.name)' object has no attribute '\(name)'", at: here)
        case .builtin(let builtin) where builtin.isModule && (name == "forward" || name == "__call__"):
            return object  // `self.ce.forward(logits, target)` calls the module (catalyst's masked cross-entropy)
        case .builtin(let builtin):
            // An object a built-in made (`re.match(...)`'s match): its methods take it as the receiver.
            // Its data attributes (`sig.parameters`) are read at once.
            if let receiver = builtin.receiver, let method = BuiltinRegistry.method(name, on: builtin.name) {
                let bound = Value.builtin(BuiltinValue(name: "\(builtin.name).\(name)", function: method, receiver: receiver))
                return BuiltinRegistry.dataAttributes.contains("\(builtin.name).\(name)") ? try call(bound, [], [], site: here) : bound
            }
            return BuiltinRegistry.resolve(builtin.name + "." + name)
        // `@name.setter` on a property: the setter is kept on the property, which stays what the name holds.
        case .function(let property) where property.binding == .property && name == "setter":
            return .builtin(BuiltinValue(name: "property.setter", function: { call in
                guard case .function(let getter)? = call.positional.first, case .function(let setter)? = call.positional.last,
                      call.positional.count == 2 else { throw call.error("TypeError: setter() takes a function") }
                let property = FunctionValue(name: getter.name, parameters: getter.parameters, body: getter.body, closure: getter.closure,
                                             defaults: getter.defaults, location: getter.location, file: getter.file)
                property.binding = .property
                property.setter = setter
                return .function(property)
            }, receiver: object))
        // A function's name, as logging and `__repr__` code reads it (toolbelt: `activation.__name__`).
        case .function(let function) where name == "__name__" || name == "__qualname__":
            return .string(function.name)
        case .function where name == "__module__":
            return .string("__main__")
        default:
            throw InterpreterError(.pythonError, "AttributeError: '\(object.typeName)' object has no attribute '\(name)'", at: here)
        }
    }

    /// A class attribute read through an instance: methods are bound to it (`self.f`), static methods
    /// are not, class methods get the class, properties are called.
    func bind(_ value: Value, to instance: InstanceValue, at here: SourceSite) throws -> Value {
        guard case .function(let function) = value else { return value }
        switch function.binding {
        case .instance: return .boundMethod(instance, function)
        case .staticMethod: return value
        case .classMethod: return .classBoundMethod(instance.cls, function)
        case .property: return try invoke(function, [.instance(instance)], [], site: here)
        }
    }

    /// `Fn.apply(...)` of a `torch.autograd.Function` subclass: its `forward(ctx, ...)` with a context that keeps
    /// what `save_for_backward` and attribute writes put there. The gradient is LossDoctor's own, of that
    /// forward: the hand-written `backward` is not evaluated (`customGradients` names it for the report).
    private func autogradApply(_ cls: ClassValue) -> Value {
        // The class travels as the receiver (the first argument): a built-in's closure captures no interpreter objects.
        .builtin(BuiltinValue(name: "\(cls.name).apply", function: { call in
            guard case .userClass(let cls) = call.positional[0] else { return .none }
            let arguments = Array(call.positional.dropFirst())
            guard case .function(let forward)? = cls.lookup("forward") else {
                throw call.error("NotImplementedError: You must implement the forward function for custom autograd.Function.")
            }
            let interpreter = call.interpreter
            if !interpreter.customGradients.contains(cls.name) { interpreter.customGradients.append(cls.name) }
            let context = InstanceValue(cls: cls)
            context.attributes["needs_input_grad"] = .tuple(arguments.map { .bool($0.tensor?.dependsOnVariable ?? false) })
            context.attributes["saved_tensors"] = .tuple([])
            return try interpreter.invoke(forward, [.instance(context)] + arguments, call.keywords, site: call.site)
        }, receiver: .userClass(cls)))
    }
}
