/// A loss found in a file: what to call, and how.
struct LossCandidate {
    let name: String
    let callable: Value
    let site: SourceSite
    /// Whether the target is the first argument (Keras) or the second (PyTorch `forward(input, target)`).
    let targetFirst: Bool
    let targetName: String
    let predictionName: String
    let layout: Layout
}

/// Finds the losses of a module: functions of two tensors, loss factories, and loss classes; helpers
/// that a loss calls are analysed through the call, not on their own.
struct LossDiscovery {
    let interpreter: Interpreter
    let module: Module

    static let targetNames: Set<String> = ["y_true", "target", "targets", "gt", "ground_truth", "mask", "masks", "label",
                                           "labels", "y", "true", "truth", "y_gt", "true_mask", "gt_mask", "t"]
    static let predictionNames: Set<String> = ["y_pred", "pred", "preds", "prediction", "predictions", "logits", "inputs",
                                               "input", "output", "outputs", "probs", "probas", "y_hat", "yhat", "p", "x", "pred_mask"]

    /// Whether the file uses PyTorch, so that its losses expect NCHW.
    var usesTorch: Bool {
        interpreter.globals.variables.values.contains { if case .module(let path) = $0 { path.hasPrefix("torch") } else { false } }
    }

    func candidates(selecting selection: String?) throws -> [LossCandidate] {
        // Discovery calls constructors and factories: their objects live as long as the module's.
        try LargeStack.run { try Interpreter.$arena.withValue(interpreter.moduleArena) { try candidatesHere(selecting: selection) } }
    }

    private func candidatesHere(selecting selection: String?) throws -> [LossCandidate] {
        if let selection { return [try selected(selection)] }
        var found: [LossCandidate] = []
        var bodies: [[Stmt]] = []
        for statement in module.statements {
            if let (candidate, body) = discovered(statement) {
                found.append(candidate)
                bodies.append(body)
            }
        }
        let used = bodies.map { ASTWalk.names(in: $0) }
        // How many candidates' bodies use each name: one pass, not a scan of every body per candidate
        // (40,000 definitions took minutes).
        var users: [String: Int] = [:]
        for names in used { for name in names { users[name, default: 0] += 1 } }
        var kept: [LossCandidate] = []
        for (index, candidate) in found.enumerated() {
            let usedByOthers = (users[candidate.name] ?? 0) - (used[index].contains(candidate.name) ? 1 : 0) > 0
            if !usedByOthers && !Self.isMetric(candidate.name) { kept.append(candidate) }
        }
        let limit = interpreter.limits.lossesPerFile
        if kept.count > limit {
            interpreter.discoveryErrors.append(InterpreterError(
                .limit, "the file defines \(kept.count) losses: only the first \(limit) are checked", at: kept[limit].site,
                hint: "raise the limit with --max-losses, or check the rest with --function"))
            kept.removeLast(kept.count - limit)
        }
        return kept
    }

    /// A function another loss calls is a helper (the seed's `dice_coef` inside `dice_coef_loss`, counted
    /// above); a name like a metric without "loss" in it is a metric.
    private static func isMetric(_ name: String) -> Bool {
        let lower = name.lowercased()
        return !lower.contains("loss") && ["metric", "coef", "score", "accuracy", "acc"].contains { lower.contains($0) }
    }

    /// The loss a top-level statement defines, if any: a function of two tensors, a factory returning one,
    /// or a class whose instances are losses.
    private func discovered(_ statement: Stmt) -> (LossCandidate, [Stmt])? {
        switch statement.kind {
        case .functionDef(let definition):
            guard case .function(let function)? = interpreter.globals[definition.name] else { return nil }
            if let candidate = candidate(definition.name, function, callable: .function(function), torchStyle: false) {
                return (candidate, definition.body)
            }
            return factoryCandidate(definition, function).map { ($0, definition.body) }
        case .classDef(let definition):
            guard case .userClass(let cls)? = interpreter.globals[definition.name],
                  let candidate = try? classCandidate(cls, name: definition.name, arguments: nil) else { return nil }
            return (candidate, definition.body)
        default:
            return nil
        }
    }

    /// `def dice_loss(smooth=1): def loss(y_true, y_pred): ...; return loss`, called with its defaults.
    private func factoryCandidate(_ definition: FunctionDef, _ function: FunctionValue) -> LossCandidate? {
        guard requiredCount(function.parameters, skipSelf: false) == 0,
              definition.body.contains(where: { if case .functionDef = $0.kind { true } else { false } }) else { return nil }
        interpreter.beginEvaluation()
        guard let made = try? interpreter.call(.function(function), [], [], site: interpreter.site(definition.nameLocation)),
              case .function(let inner) = made else { return nil }
        return candidate(definition.name + "()", inner, callable: made, torchStyle: false, site: function)
    }

    /// `--function NAME` or `--function 'Ctor(args)'`.
    private func selected(_ selection: String) throws -> LossCandidate {
        let here = SourceSite(file: interpreter.file, line: 1, column: 1)
        if selection.contains("(") {
            let expression: Expr
            do { expression = try parseExpression(selection) } catch {
                throw InterpreterError(.pythonError, "SyntaxError in --function: \(error.message)", at: here)
            }
            let value = try interpreter.evaluate(expression, in: interpreter.globals)
            switch value {
            case .instance(let instance):
                guard let candidate = try classCandidate(instance.cls, name: selection, arguments: value) else {
                    throw InterpreterError(.pythonError, "`\(selection)` has no forward/call method of two tensors", at: here)
                }
                return candidate
            case .function(let function):
                guard let candidate = candidate(selection, function, callable: value, torchStyle: false) else {
                    throw InterpreterError(.pythonError, "`\(selection)` does not return a function of two tensors", at: here)
                }
                return candidate
            default:
                throw InterpreterError(.pythonError, "`\(selection)` evaluates to \(value.typeName), not a loss", at: here)
            }
        }
        switch interpreter.globals[selection] {
        case .function(let function)?:
            if let candidate = candidate(selection, function, callable: .function(function), torchStyle: false) { return candidate }
            throw InterpreterError(.pythonError, "`\(selection)` does not take two tensors (target and prediction)", at: interpreter.site(function.location))
        case .userClass(let cls)?:
            guard let candidate = try classCandidate(cls, name: selection, arguments: nil) else {
                throw InterpreterError(.pythonError, "class `\(selection)` needs constructor arguments or has no forward/call of two tensors: use --function '\(selection)(...)'", at: interpreter.site(cls.location))
            }
            return candidate
        default:
            let names = interpreter.globals.variables.keys.sorted()
            let hint = Suggestion.closest(to: selection, among: names).map { " (did you mean `\($0)`?)" } ?? ""
            throw InterpreterError(.pythonError, "no function or class named `\(selection)` in \(interpreter.file)\(hint)", at: here)
        }
    }

    /// A class whose instances are losses; constructed with no arguments unless an instance is given.
    private func classCandidate(_ cls: ClassValue, name: String, arguments instance: Value?) throws -> LossCandidate? {
        guard let method = ["forward", "call", "__call__"].lazy.compactMap({ name -> FunctionValue? in
            if case .function(let f)? = cls.lookup(name) { f } else { nil }
        }).first, requiredCount(method.parameters, skipSelf: true) == 2 else { return nil }
        var callable = instance
        if callable == nil {
            if case .function(let initializer)? = cls.lookup("__init__"), requiredCount(initializer.parameters, skipSelf: true) > 0 { return nil }
            callable = try interpreter.call(.userClass(cls), [], [], site: interpreter.site(cls.location))
        }
        let torchStyle = method.name == "forward" || (cls.frameworkBase?.contains("torch") ?? false)
        return candidate(name, method, callable: callable!, torchStyle: torchStyle, skipSelf: true, classLocation: cls.location)
    }

    private func requiredCount(_ parameters: Parameters, skipSelf: Bool) -> Int {
        parameters.positional.dropFirst(skipSelf ? 1 : 0).filter { $0.defaultValue == nil }.count
    }

    /// A candidate from a function's signature, if it takes exactly two required tensors.
    private func candidate(_ name: String, _ function: FunctionValue, callable: Value, torchStyle: Bool, skipSelf: Bool = false,
                           site: FunctionValue? = nil, classLocation: SourcePosition? = nil) -> LossCandidate? {
        let parameters = function.parameters.positional.dropFirst(skipSelf ? 1 : 0)
        guard requiredCount(function.parameters, skipSelf: skipSelf) == 2 else { return nil }
        let (a, b) = (parameters.first!.name, parameters.dropFirst().first!.name)
        let targetFirst: Bool
        if Self.isTarget(a) || Self.isPrediction(b) { targetFirst = true }
        else if Self.isPrediction(a) || Self.isTarget(b) { targetFirst = false }
        else { targetFirst = !torchStyle }
        let location = classLocation ?? (site ?? function).location
        return LossCandidate(name: name, callable: callable, site: interpreter.site(location), targetFirst: targetFirst,
                             targetName: targetFirst ? a : b, predictionName: targetFirst ? b : a,
                             layout: usesTorch || torchStyle ? .channelsFirst : .channelsLast)
    }

    static func isTarget(_ name: String) -> Bool {
        let n = name.lowercased()
        return targetNames.contains(n) || ["true", "target", "gt", "label", "mask"].contains { n.contains($0) } && !n.contains("pred")
    }

    static func isPrediction(_ name: String) -> Bool {
        let n = name.lowercased()
        return predictionNames.contains(n) || ["pred", "logit", "output", "input", "prob"].contains { n.contains($0) }
    }
}

extension LossCandidate {
    /// LD605: hyper-parameters with defaults that the loss never reads.
    func unusedParameters(file: String) -> [SourceDiagnostic] {
        func diagnostic(_ parameter: Parameter, _ owner: String) -> SourceDiagnostic {
            SourceDiagnostic(code: "LD605", message: "the parameter `\(parameter.name)` of \(owner) is accepted but never used",
                             site: SourceSite(file: file, line: parameter.location.line, column: parameter.location.column),
                             notes: ["changing it changes nothing: a literal probably stands where it was meant"])
        }
        switch callable {
        case .function(let function):
            guard case .statements(let body) = function.body else { return [] }
            let read = ASTWalk.names(in: body)
            return (function.parameters.positional + function.parameters.keywordOnly)
                .filter { $0.defaultValue != nil && !read.contains($0.name) }
                .map { diagnostic($0, "`\(function.name)`") }
        case .instance(let instance):
            let definition = instance.cls.definition
            var methods: [String: FunctionDef] = [:]
            for statement in definition.body { if case .functionDef(let f) = statement.kind { methods[f.name] = f } }
            guard let initializer = methods["__init__"] else { return [] }
            let readElsewhere = ASTWalk.selfAttributes(in: methods.filter { $0.key != "__init__" }.values.flatMap(\.body))
            let readInInit = ASTWalk.names(in: initializer.body)
            var stored: [String: String] = [:]  // parameter -> attribute
            for statement in initializer.body {
                if case .assign(let targets, let value) = statement.kind, case .name(let parameter) = value.kind {
                    for target in targets { if case .attribute(let object, let attribute, _) = target.kind, case .name("self") = object.kind { stored[parameter] = attribute } }
                }
            }
            return (initializer.parameters.positional.dropFirst() + initializer.parameters.keywordOnly)
                .filter { $0.defaultValue != nil }
                .filter { parameter in
                    if let attribute = stored[parameter.name] { return !readElsewhere.contains(attribute) }
                    return !readInInit.contains(parameter.name)
                }
                .map { diagnostic($0, "`\(instance.cls.name).__init__`") }
        default:
            return []
        }
    }
}
