/// `try`/`except`/`else`/`finally`, `raise`, `with` and `del`: the statements around the maths that real
/// loss files are made of.
extension Interpreter {
    // MARK: Exceptions

    /// Python's built-in exception hierarchy, as far as losses catch it: each name's parent.
    static let exceptionParents: [String: String] = [
        "Exception": "BaseException",
        "ArithmeticError": "Exception", "ZeroDivisionError": "ArithmeticError", "OverflowError": "ArithmeticError",
        "FloatingPointError": "ArithmeticError",
        "LookupError": "Exception", "IndexError": "LookupError", "KeyError": "LookupError",
        "ImportError": "Exception", "ModuleNotFoundError": "ImportError",
        "RuntimeError": "Exception", "NotImplementedError": "RuntimeError", "RecursionError": "RuntimeError",
        "ValueError": "Exception", "UnicodeError": "ValueError", "TypeError": "Exception", "AttributeError": "Exception",
        "NameError": "Exception", "UnboundLocalError": "NameError", "AssertionError": "Exception", "StopIteration": "Exception",
        "Warning": "Exception", "UserWarning": "Warning", "RuntimeWarning": "Warning", "DeprecationWarning": "Warning",
        "SyntaxError": "Exception",
    ]

    /// The Python exception classes an error is an instance of, most specific first; empty for what no
    /// `except` clause can catch (a limit, a construct or an API LossDoctor does not evaluate).
    static func exceptionTypes(of error: InterpreterError) -> [String] {
        guard error.kind == .pythonError else { return [] }
        var types = error.exceptionTypes ?? []
        if types.isEmpty {
            // "ValueError: ..." from the interpreter and the engine, or a framework error without a class.
            let head = error.message.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            types = [head.hasSuffix("Error") || head.hasSuffix("Exception") || head.hasSuffix("Warning") ? String(head) : "Exception"]
        }
        return exceptionChain(types)
    }

    /// The classes followed by the built-in classes they derive from, up to `BaseException`.
    static func exceptionChain(_ classes: [String]) -> [String] {
        guard var chain = classes.isEmpty ? nil : classes else { return [] }
        while let parent = exceptionParents[chain.last!], !chain.contains(parent) { chain.append(parent) }
        return chain
    }

    /// What `str(error)` gives in Python: the message without the class name.
    static func exceptionText(_ error: InterpreterError) -> String {
        var message = Substring(error.message)
        if message.hasPrefix("the loss raises ") {
            message = message.dropFirst("the loss raises ".count)
            if let open = message.firstIndex(of: "("), message.hasSuffix(")") {
                return String(message[message.index(after: open)..<message.index(before: message.endIndex)])
            }
            return ""
        }
        if let colon = message.firstIndex(of: ":"), message[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            return String(message[message.index(after: colon)...].drop { $0 == " " })
        }
        return String(message)
    }

    /// The error a `raise` statement throws for a value: an exception instance or class, built-in or the user's.
    func raised(_ value: Value, at here: SourceSite) throws -> InterpreterError {
        switch value {
        case .instance(let instance):
            // `class MyError(ValueError)`: its own name, then the built-in classes it derives from.
            var types = instance.cls.mro.map(\.name)
            for cls in instance.cls.mro {
                for case .builtin(let base) in cls.bases where base.name.hasPrefix("builtins.") { types.append(String(base.name.dropFirst(9))) }
            }
            let message = instance.attributes["args"].map { display($0) } ?? ""
            return InterpreterError(.pythonError, "the loss raises \(instance.cls.name)(\(message))", at: here, exceptionTypes: types)
        case .userClass:
            return try raised(call(value, [], [], site: here), at: here)
        case .builtin(let b) where b.name.hasPrefix("builtins."):
            let name = String(b.name.dropFirst(9))
            return InterpreterError(.pythonError, "the loss raises \(name)", at: here, exceptionTypes: [name])
        case .exception(let exception):
            let message = exception.arguments.map { display($0) }.joined(separator: ", ")
            var error = InterpreterError(.pythonError, "the loss raises \(exception.name)(\(message))", at: here, exceptionTypes: exception.classes)
            error.raised = raisedExceptions.count
            raisedExceptions.append(exception)
            return error
        case .string(let text):
            // A string is not an exception (Python raises TypeError); kept as the message of an unknown class.
            let name = String(text.prefix { $0 != "(" })
            return InterpreterError(.pythonError, "the loss raises \(text)", at: here,
                                    exceptionTypes: Self.exceptionParents[name] != nil ? [name] : nil)
        default:
            return InterpreterError(.pythonError, "TypeError: exceptions must derive from BaseException", at: here)
        }
    }

    /// The exception class names an `except` clause's type names (a class or a tuple of them).
    private func handlerTypes(_ value: Value) -> [String] {
        switch value {
        case .tuple(let items): return items.flatMap(handlerTypes)
        case .builtin(let b): return [String(b.name.split(separator: ".").last ?? "")]
        case .module(let path): return [String(path.split(separator: ".").last ?? "")]  // `torch.cuda.OutOfMemoryError`
        case .userClass(let cls): return [cls.name]
        default: return []
        }
    }

    func executeTry(_ body: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt], _ finally: [Stmt], in scope: Scope) throws -> Flow {
        let flow: Flow
        do {
            flow = try executeHandled(body, handlers, orElse, in: scope)
        } catch {
            // `finally` runs on the way out; a `return`/`break` in it swallows the exception, as in Python.
            let ending = try execute(finally, in: scope)
            if case .normal = ending { throw error }
            return ending
        }
        let ending = try execute(finally, in: scope)
        if case .normal = ending { return flow }
        return ending
    }

    private func executeHandled(_ body: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt], in scope: Scope) throws -> Flow {
        let flow: Flow
        do {
            flow = try execute(body, in: scope)
        } catch let error as InterpreterError {
            let types = Self.exceptionTypes(of: error)
            guard !types.isEmpty else { throw error }
            for handler in handlers {
                if let typeExpression = handler.type {
                    let caught = handlerTypes(try evaluate(typeExpression, in: scope))
                    guard caught.contains(where: types.contains) else { continue }
                }
                if let name = handler.name {
                    if let index = error.raised, raisedExceptions.indices.contains(index) {
                        scope[name] = .exception(raisedExceptions[index])
                    } else {
                        let text = Self.exceptionText(error)
                        scope[name] = .exception(ExceptionValue(classes: types, arguments: text.isEmpty ? [] : [.string(text)]))
                    }
                }
                handledErrors.append(error)
                defer { handledErrors.removeLast() }
                return try execute(handler.body, in: scope)
            }
            throw error
        }
        guard case .normal = flow else { return flow }
        return try execute(orElse, in: scope)
    }

    // MARK: with

    /// Context managers that change nothing LossDoctor models: mixed precision, anomaly detection,
    /// warning filters, name scopes, devices.
    static let neutralContexts: Set<String> = [
        "torch.enable_grad", "torch.autograd.enable_grad", "torch.autocast", "torch.amp.autocast", "torch.cuda.amp.autocast",
        "torch.cpu.amp.autocast", "torch.autograd.detect_anomaly", "torch.autograd.set_detect_anomaly",
        "torch.autograd.profiler.record_function", "torch.profiler.record_function", "torch.device", "torch.cuda.device",
        "warnings.catch_warnings", "contextlib.nullcontext", "np.errstate", "tf.name_scope", "tf.device",
        "tf.control_dependencies", "keras.name_scope", "K.name_scope", "tf.init_scope",
    ]

    /// Context managers under which nothing computed has a gradient.
    static let gradientFreeContexts: Set<String> = [
        "torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad", "torch.autograd.inference_mode",
        "torch.autograd.grad_mode.no_grad",
    ]

    private enum Context {
        case neutral(Value)
        case noGradient
        case user(InstanceValue)
    }

    /// Runs `with a, b: body` as nested blocks.
    func executeWith(_ items: ArraySlice<WithItem>, _ body: [Stmt], in scope: Scope, at location: SourcePosition) throws -> Flow {
        guard let item = items.first else { return try execute(body, in: scope) }
        let here = site(item.context.location, text: Self.dottedName(item.context))
        switch try context(item.context, in: scope) {
        case .neutral(let value):
            if let target = item.target { try assign(value, to: target, in: scope) }
            return try executeWith(items.dropFirst(), body, in: scope, at: location)
        case .noGradient:
            gradientCuts.append(site(item.context.location, text: Self.contextName(item.context) ?? "torch.no_grad()"))
            defer { gradientCuts.removeLast() }
            if let target = item.target { try assign(.none, to: target, in: scope) }
            return try executeWith(items.dropFirst(), body, in: scope, at: location)
        case .user(let manager):
            let entered = try call(attribute(of: .instance(manager), "__enter__", at: here), [], [], site: here)
            if let target = item.target { try assign(entered, to: target, in: scope) }
            let flow: Flow
            do {
                flow = try executeWith(items.dropFirst(), body, in: scope, at: location)
            } catch let error as InterpreterError {
                let suppressed = try call(attribute(of: .instance(manager), "__exit__", at: here),
                                          [.string(error.message), .string(error.message), .none], [], site: here)
                if try truthy(suppressed, at: here), !Self.exceptionTypes(of: error).isEmpty { return .normal }
                throw error
            }
            _ = try call(attribute(of: .instance(manager), "__exit__", at: here), [.none, .none, .none], [], site: here)
            return flow
        }
    }

    /// `torch.no_grad()` for the expression `torch.no_grad()`, for the report.
    static func contextName(_ expression: Expr) -> String? {
        if case .call(let callee, _) = expression.kind { return dottedName(callee).map { $0 + "()" } }
        return dottedName(expression)
    }

    /// What a `with` item's expression is, without calling framework context managers (they are not calls
    /// LossDoctor evaluates: only their effect on gradients is modelled).
    private func context(_ expression: Expr, in scope: Scope) throws -> Context {
        let here = site(expression.location, text: Self.dottedName(expression))
        if case .call(let calleeExpression, let arguments) = expression.kind {
            let callee = try evaluate(calleeExpression, in: scope)
            let name: String?
            switch callee {
            case .module(let path): name = BuiltinRegistry.canonical(path)
            case .builtin(let b): name = b.name
            default: name = nil
            }
            if let name {
                if Self.gradientFreeContexts.contains(name) { return .noGradient }
                if Self.neutralContexts.contains(name) { return .neutral(.none) }
                if name == "torch.set_grad_enabled" || name == "torch.autograd.set_grad_enabled" {
                    guard let first = arguments.first else { return .neutral(.none) }
                    return try truthy(evaluate(first.value, in: scope), at: here) ? .neutral(.none) : .noGradient
                }
                if case .module = callee {
                    throw InterpreterError(.unsupportedCall, "`with \(name)(...)` is not a context manager LossDoctor knows", at: here,
                                           hint: "LossDoctor models torch.no_grad/inference_mode/enable_grad/autocast and warnings.catch_warnings; move other contexts out of the loss")
                }
            }
        }
        let value = try evaluate(expression, in: scope)
        switch value {
        case .instance(let instance) where instance.cls.lookup("__enter__") != nil && instance.cls.lookup("__exit__") != nil:
            return .user(instance)
        case .module(let path):
            let name = BuiltinRegistry.canonical(path)
            if Self.gradientFreeContexts.contains(name) { return .noGradient }  // `@torch.no_grad` without parentheses
            if Self.neutralContexts.contains(name) { return .neutral(.none) }
            throw InterpreterError(.unsupportedCall, "`with \(name)` is not a context manager LossDoctor knows", at: here)
        default:
            throw InterpreterError(.pythonError, "TypeError: '\(value.typeName)' object does not support the context manager protocol", at: here)
        }
    }

    // MARK: del

    func delete(_ target: Expr, in scope: Scope) throws {
        switch target.kind {
        case .name(let name):
            guard scope.variables[name] != nil else {
                throw InterpreterError(.pythonError, "NameError: name '\(name)' is not defined", at: site(target.location))
            }
            scope.variables[name] = nil
        case .tuple(let targets), .list(let targets):
            for inner in targets { try delete(inner, in: scope) }
        case .subscript(let objectExpression, let indexExpression):
            let object = try evaluate(objectExpression, in: scope)
            let index = try evaluate(indexExpression, in: scope)
            switch object {
            case .dict(let box):
                guard let key = DictKey(index), box[key] != nil else {
                    throw InterpreterError(.pythonError, "KeyError: \(display(index))", at: site(target.location))
                }
                box[key] = nil
            case .list(let box):
                guard case .int(let i) = index, let position = Self.normalize(i, count: box.items.count) else {
                    throw InterpreterError(.pythonError, "IndexError: list assignment index out of range", at: site(target.location))
                }
                box.items.remove(at: position)
            default:
                throw InterpreterError(.pythonError, "TypeError: '\(object.typeName)' object doesn't support item deletion", at: site(target.location))
            }
        case .attribute(let objectExpression, let name, _):
            if case .instance(let instance) = try evaluate(objectExpression, in: scope), instance.attributes[name] != nil {
                instance.attributes[name] = nil
            } else {
                throw InterpreterError(.pythonError, "AttributeError: \(name)", at: site(target.location))
            }
        default:
            throw InterpreterError(.pythonError, "SyntaxError: cannot delete this expression", at: site(target.location))
        }
    }
}
