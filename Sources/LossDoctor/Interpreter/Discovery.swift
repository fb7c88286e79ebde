/// The metric-named functions discovery left out.
final class SkippedMetrics {
    var names: [String] = []
}

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
    /// Whether the loss is PyTorch's (the file uses torch, or the loss is a `forward`): a training loop may add the
    /// tensors of a tuple it returns, where Keras's compile/fit needs one tensor.
    let isPyTorch: Bool
    /// How a loss class was constructed when LossDoctor chose arguments for it
    /// (`constructed as TverskyLoss(mode="binary")`), for the report.
    var construction: Construction? = nil
    /// A third required parameter that takes a mask of the pixels to count (`forward(logits, target, mask)`):
    /// every probe passes one of all-true, the neutral mask, so the loss is judged on every pixel.
    var maskParameter: String? = nil
}

/// A loss class of the file that could not be constructed (it needs an argument LossDoctor cannot choose, or
/// its `__init__` raised): reported once, under its own name, where the class is defined.
struct UnbuiltLoss {
    let name: String
    /// The line of the class definition, to report it in file order among the losses.
    let line: Int
    let error: InterpreterError

    /// Its report: the construction error, and no probes.
    var report: Report {
        Report(loss: name, findings: [SourceChecker.finding(for: error)], evidence: .none(name))
    }
}

/// The arguments LossDoctor chose for the required parameters of a loss class, and, when one of them is
/// a class count (`num_classes`), how to build the object again for a probe with another class count.
struct Construction {
    let className: String
    let arguments: [ConstructorArguments.Assumed]
    /// The class count the candidate's object was built with (the binary probe's, 1).
    let classes: Int
    /// Builds the object with every class-count argument set to the given count; nil when none is one.
    let rebuild: ((Int) throws -> Value)?

    /// Whether the arguments complete a loss function's call (`focal_loss(pred, target, alpha)`) rather than build an object.
    var isCall = false

    /// `constructed as CEDiceLoss(num_classes=3) (assumed: num_classes)`, the class count being the probes';
    /// `called with alpha=0.5 (assumed: alpha)` for a function.
    func description(classes: Int) -> String {
        let assumed = "(assumed: \(arguments.map(\.name).joined(separator: ", ")))"
        if isCall { return "called with \(written(classes: classes)) \(assumed)" }
        return "constructed as \(className)(\(written(classes: classes))) \(assumed)"
    }

    /// The Python expression that builds the same object, for `--execute`: `CEDiceLoss(num_classes=3)`, or
    /// `functools.partial(focal_loss, alpha=0.5)` for a function (the interpreter calls it the same way).
    func expression(classes: Int) -> String {
        isCall ? "functools.partial(\(className), \(written(classes: classes)))" : "\(className)(\(written(classes: classes)))"
    }

    private func written(classes: Int) -> String {
        arguments.map { "\($0.name)=\($0.sourceForClasses?(classes) ?? $0.source)" }.joined(separator: ", ")
    }
}

/// Finds the losses of a module: functions of two tensors, loss factories, and loss classes; helpers
/// that a loss calls are analysed through the call, not on their own.
struct LossDiscovery {
    let interpreter: Interpreter
    let module: Module
    /// The target format of the probes, whose class count a `num_classes` argument takes.
    var targetFormat: TargetFormat = .binary
    /// Functions of the file skipped because their names read as metrics (`dice_score`), for the message
    /// when no loss is found. A reference type: discovery is a value that the caller keeps.
    let skipped = SkippedMetrics()
    /// Whether the file uses PyTorch, so that its losses expect NCHW: it imports torch or a library built on it
    /// (`from monai.losses import DiceLoss` binds no module, yet the loss takes NCHW tensors), or a module it imports
    /// hands it a torch module. Read once, after the module ran: discovery asks per candidate.
    let usesTorch: Bool

    init(interpreter: Interpreter, module: Module) {
        self.interpreter = interpreter
        self.module = module
        usesTorch = !ASTWalk.importedPackages(in: module.statements).isDisjoint(with: LibraryLosses.pyTorchPackages)
            || interpreter.globals.variables.values.contains { if case .module(let path) = $0 { path.hasPrefix("torch") } else { false } }
    }

    private var metricsSkipped: [String] {
        get { skipped.names }
        nonmutating set { skipped.names = newValue }
    }

    static let targetNames: Set<String> = ["y_true", "target", "targets", "gt", "ground_truth", "mask", "masks", "label",
                                           "labels", "y", "true", "truth", "y_gt", "true_mask", "gt_mask", "t"]
    static let predictionNames: Set<String> = ["y_pred", "pred", "preds", "prediction", "predictions", "logits", "inputs",
                                               "input", "output", "outputs", "probs", "probas", "y_hat", "yhat", "p", "x", "pred_mask"]

    func candidates(selecting selection: String?) throws -> [LossCandidate] {
        // Discovery calls constructors and factories: their objects live as long as the module's.
        try LargeStack.run { try Interpreter.$arena.withValue(interpreter.moduleArena) { try candidatesHere(selecting: selection) } }
    }

    private func candidatesHere(selecting selection: String?) throws -> [LossCandidate] {
        if let selection { return [try selected(selection)] }
        // An entry point is what nothing else in the file uses: the names each top-level function and
        // class reads, so that a helper of a loss is not reported as a loss of its own. Being a base class
        // is not a use: a concrete base is a loss of its own. A class that could not be built uses nothing:
        // the helpers only it would have called are then entry points, checked on their own.
        // Linear in the file: how many other definitions read each name, counted down as callers fail.
        // A function the file compiles as its loss is a loss, whatever its name (`compile(loss=dice_score)`).
        let passedAsLoss = ASTWalk.namesPassedAsLoss(in: module.statements)
        var reads: [Int: Set<String>] = [:]
        var definitions: [String: [Int]] = [:]
        var readers: [String: Int] = [:]
        for (index, statement) in module.statements.enumerated() {
            guard let (name, body) = Self.definition(statement) else { continue }
            let used = ASTWalk.names(in: body).filter { $0 != name && !passedAsLoss.contains($0) }
            reads[index] = used
            definitions[name, default: []].append(index)
            for name in used { readers[name, default: 0] += 1 }
        }
        func isHelper(_ name: String) -> Bool {
            !passedAsLoss.contains(name) && (readers[name, default: 0] > 0 || Self.isMetricName(name))
        }
        // Statements in file order, then the helpers of classes that could not be built; each discovered once.
        // A helper is skipped before it is built: a class only another loss uses is not constructed on its
        // own (nor reported when it cannot be).
        var pending = Array(module.statements.indices.reversed())
        var found: [Int: LossCandidate] = [:]
        var visited = Set<Int>()
        while let index = pending.popLast() {
            let statement = module.statements[index]
            if let (name, _) = Self.definition(statement), isHelper(name) { continue }
            guard visited.insert(index).inserted else { continue }
            let failures = interpreter.unbuiltLosses.count
            if let (candidate, _) = discovered(statement) { found[index] = candidate }
            guard interpreter.unbuiltLosses.count > failures else { continue }
            for name in reads[index] ?? [] {
                readers[name, default: 0] -= 1
                if readers[name] == 0 { pending += definitions[name] ?? [] }
            }
        }
        metricsSkipped = module.statements.compactMap { statement in
            guard case .functionDef(let definition) = statement.kind, isHelper(definition.name), readers[definition.name, default: 0] == 0,
                  requiredCount(definition.parameters, skipSelf: false) == 2 else { return nil }
            return definition.name
        }
        var kept = found.keys.sorted().map { found[$0]! }
        let limit = interpreter.limits.lossesPerFile
        if kept.count > limit {
            interpreter.discoveryErrors.append(InterpreterError(
                .limit, "the file defines \(kept.count) losses: only the first \(limit) are checked", at: kept[limit].site,
                hint: "raise the limit with --max-losses, or check the rest with --function"))
            kept.removeLast(kept.count - limit)
        }
        return kept
    }

    /// The name and body of a top-level `def` or `class`. A function another definition reads is a helper
    /// (the seed's `dice_coef` inside `dice_coef_loss`); a name like a metric without "loss" in it is a
    /// metric, unless the file passes it as `loss=`.
    private static func definition(_ statement: Stmt) -> (name: String, body: [Stmt])? {
        switch statement.kind {
        case .functionDef(let definition): (definition.name, definition.body)
        case .classDef(let definition): (definition.name, definition.body)
        default: nil
        }
    }

    /// Whether a name reads as a metric: one of its words (split at `_`, digits and case changes) is `acc`
    /// or ends in `metric`, `coef`, `coeff`, `coefficient`, `score` or `accuracy` (`dicecoef`, `IoUScore`),
    /// and none is `loss`. "acc" inside a word does not count: `jaccard_distance` is a loss.
    static func isMetricName(_ name: String) -> Bool {
        let characters = Array(name)
        var words: [String] = []
        var current = ""
        for (i, character) in characters.enumerated() {
            if character == "_" || character.isNumber {
                if !current.isEmpty { words.append(current) }
                current = ""
                continue
            }
            let next = i + 1 < characters.count ? characters[i + 1] : nil
            // `diceScore` and `IoUScore` split before the capital that starts a word.
            if character.isUppercase, let last = current.last,
               last.isLowercase || (last.isUppercase && next?.isLowercase == true) {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        let lower = words.map { $0.lowercased() }
        let endings = ["metric", "metrics", "coef", "coeff", "coefficient", "score", "accuracy"]
        return !lower.contains { $0.hasPrefix("loss") }
            && lower.contains { word in
                // A word that only ends in the letters (`symmetric`, `isometric`) is not a metric.
                word == "acc" || endings.contains { word.hasSuffix($0) } && !["symmetric", "isometric"].contains { word.hasSuffix($0) }
            }
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
            if let candidate = completedCallCandidate(definition.name, function) { return (candidate, definition.body) }
            return factoryCandidate(definition, function).map { ($0, definition.body) }
        case .classDef(let definition):
            guard case .userClass(let cls)? = interpreter.globals[definition.name] else { return nil }
            do {
                guard let candidate = try classCandidate(cls, name: definition.name, arguments: nil) else { return nil }
                return (candidate, definition.body)
            } catch let error as InterpreterError {
                interpreter.unbuiltLosses.append(UnbuiltLoss(name: definition.name, line: definition.nameLocation.line, error: error))
                return nil
            } catch {
                return nil
            }
        default:
            return nil
        }
    }

    /// `def focal_loss(pred, target, alpha, gamma=2.0)`: two tensors and required parameters whose neutral values
    /// `ConstructorArguments` knows, passed by keyword (kornia's and smp's functional losses).
    private func completedCallCandidate(_ name: String, _ function: FunctionValue) -> LossCandidate? {
        let parameters = function.signature.parameters
        let required = parameters.positional.filter { $0.defaultValue == nil }
        guard required.count >= 2, parameters.positional.prefix(2).allSatisfy({ $0.defaultValue == nil }) else { return nil }
        let extra = Array(required.dropFirst(2)) + parameters.keywordOnly.filter { $0.defaultValue == nil }
        guard !extra.isEmpty else { return nil }
        func arguments(_ classes: Int) -> [ConstructorArguments.Assumed]? {
            let chooser = ConstructorArguments(classes: classes)
            let chosen = extra.compactMap(chooser.assumed)
            return chosen.count == extra.count ? chosen : nil
        }
        guard let chosen = arguments(targetFormat.classes) else { return nil }
        // `functools.partial(function, alpha=0.5)`, as a user would write it.
        let site = interpreter.site(function.signature.location)
        let interpreter = self.interpreter
        func completed(_ chosen: [ConstructorArguments.Assumed]) throws -> Value {
            try interpreter.call(BuiltinRegistry.resolve("functools.partial"), [.function(function)], chosen.map { ($0.name, $0.value) }, site: site)
        }
        guard let callable = try? completed(chosen) else { return nil }
        let pair = function.signature.parameters.positional.prefix(2).map(\.name)
        var found = candidate(named: name, pair[0], pair[1], callable: callable, torchStyle: false, location: function.signature.location)
        let rebuild: ((Int) throws -> Value)? = chosen.contains(where: \.isClassCount) ? { classes in
            guard let again = arguments(classes) else { throw InterpreterError(.pythonError, "no arguments for \(classes) classes", at: nil) }
            return try completed(again)
        } : nil
        var construction = Construction(className: name, arguments: chosen, classes: targetFormat.classes, rebuild: rebuild)
        construction.isCall = true
        found.construction = construction
        return found
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
            if let candidate = completedCallCandidate(selection, function) { return candidate }
            // `def sigmoid_focal_loss(*input, **kwargs): return focal_loss_with_logits(*input, **kwargs)` forwards
            // its tensors (positionally, in the framework's order) unless, called with nothing, it builds the loss.
            let forwarded = function.signature.parameters.positional.isEmpty ? function.signature.parameters.variadic : nil
            if requiredCount(function.parameters, skipSelf: false) == 0 {
                // A factory: called with its defaults, it must return the loss.
                interpreter.beginEvaluation()
                let made: Value
                do { made = try interpreter.call(.function(function), [], [], site: interpreter.site(function.location)) } catch {
                    guard forwarded != nil, (error as? InterpreterError)?.kind != .limit else { throw error }
                    made = .none
                }
                switch made {
                case .function(let inner):
                    if let candidate = candidate(selection + "()", inner, callable: made, torchStyle: false, site: function) { return candidate }
                case .instance(let instance):
                    if let candidate = try classCandidate(instance.cls, name: selection + "()", arguments: made) { return candidate }
                default: break
                }
            }
            if let forwarded {
                return candidate(named: selection, "\(forwarded.name)[0]", "\(forwarded.name)[1]", callable: .function(function),
                                 torchStyle: usesTorch, location: function.location)
            }
            throw InterpreterError(.pythonError, "`\(selection)` does not take two tensors (target and prediction)", at: interpreter.site(function.location))
        case .userClass(let cls)?:
            guard let candidate = try classCandidate(cls, name: selection, arguments: nil) else {
                throw InterpreterError(.pythonError, "class `\(selection)` has no forward/call of two tensors", at: interpreter.site(cls.location))
            }
            return candidate
        default:
            let names = interpreter.globals.variables.keys.sorted()
            let hint = Suggestion.closest(to: selection, among: names).map { " (did you mean `\($0)`?)" } ?? ""
            throw InterpreterError(.pythonError, "no function or class named `\(selection)` in \(interpreter.file)\(hint)", at: here)
        }
    }

    /// A class whose instances are losses. Unless an instance is given, it is constructed with its
    /// defaults and, for required parameters, the values `ConstructorArguments` assumes from their names
    /// and annotations; a class that still cannot be built is an error naming the `--function` line that
    /// would check it.
    private func classCandidate(_ cls: ClassValue, name: String, arguments instance: Value?) throws -> LossCandidate? {
        let method = ["forward", "call", "__call__"].lazy.compactMap({ name -> FunctionValue? in
            if case .function(let f)? = cls.lookup(name) { f } else { nil }
        }).first
        if method == nil, cls.frameworkLossBase != nil {
            // A PyTorch loss class under another name: its forward is PyTorch's `forward(input, target)`.
            interpreter.beginEvaluation()
            let callable = try instance ?? interpreter.call(.userClass(cls), [], [], site: interpreter.site(cls.location))
            return candidate(named: name, "input", "target", callable: callable, torchStyle: true, location: cls.location)
        }
        guard let method, takesTensors(method.signature.parameters, skipSelf: true), !Self.isAbstract(method.signature) else { return nil }
        var callable = instance
        var construction: Construction?
        if callable == nil {
            var keywords: [(name: String, value: Value)] = []
            var assumed: [String] = []
            var chosen: [ConstructorArguments.Assumed] = []
            var required: [Parameter] = []
            let site = interpreter.site(cls.location)
            if case .function(let initializer)? = cls.lookup("__init__") {
                let chooser = ConstructorArguments(classes: targetFormat.classes)
                required = initializer.parameters.positional.dropFirst().filter { $0.defaultValue == nil }
                    + initializer.parameters.keywordOnly.filter { $0.defaultValue == nil }
                for parameter in required {
                    guard let choice = chooser.assumed(for: parameter) else {
                        let known = assumed + ["\(parameter.name)=..."]
                        throw InterpreterError(.pythonError, "the loss class `\(cls.name)` needs the argument `\(parameter.name)`, and LossDoctor cannot choose a value for it",
                                               at: interpreter.site(parameter.location),
                                               hint: "check it with --function '\(cls.name)(\(known.joined(separator: ", ")))'")
                    }
                    keywords.append((choice.name, choice.value))
                    assumed.append("\(choice.name)=\(choice.source)")
                    chosen.append(choice)
                }
            }
            interpreter.beginEvaluation()
            do {
                callable = try interpreter.call(.userClass(cls), [], keywords, site: site)
            } catch let error as InterpreterError where error.kind == .pythonError {
                throw InterpreterError(.pythonError, "the loss class `\(cls.name)` could not be constructed as \(cls.name)(\(assumed.joined(separator: ", "))): \(error.message)",
                                       at: error.site ?? site, hint: "check it with --function '\(cls.name)(...)', giving the arguments it needs")
            }
            if !chosen.isEmpty {
                // A class count follows the probe (num_classes=3 for a 3-class candidate); the object built
                // above, with the binary probe's count, stays the one for binary probes.
                let rebuild: ((Int) throws -> Value)? = chosen.contains(where: \.isClassCount) ? { [interpreter] classes in
                    let chooser = ConstructorArguments(classes: classes)
                    let keywords = required.compactMap(chooser.assumed).map { ($0.name, $0.value) }
                    return try Interpreter.$arena.withValue(interpreter.moduleArena) {
                        interpreter.beginEvaluation()
                        return try interpreter.call(.userClass(cls), [], keywords, site: site)
                    }
                } : nil
                construction = Construction(className: cls.name, arguments: chosen, classes: targetFormat.classes, rebuild: rebuild)
            }
        }
        let torchStyle = method.name == "forward" || (cls.frameworkBase?.contains("torch") ?? false)
        var found = candidate(name, method, callable: callable!, torchStyle: torchStyle, skipSelf: true, classLocation: cls.location)
        found?.construction = construction
        return found
    }

    /// A method that only raises `NotImplementedError` or does nothing: the abstract base of the file's losses.
    static func isAbstract(_ method: FunctionValue) -> Bool {
        guard case .statements(let body) = method.body else { return false }
        return body.allSatisfy { statement in
            switch statement.kind {
            case .pass, .raise: return true
            case .expression(let e):
                if case .string = e.kind { return true }
                if case .ellipsis = e.kind { return true }
                return false
            default: return false
            }
        }
    }

    private func requiredCount(_ parameters: Parameters, skipSelf: Bool) -> Int {
        parameters.positional.dropFirst(skipSelf ? 1 : 0).filter { $0.defaultValue == nil }.count
    }

    /// Whether a signature takes a loss's tensors: two required parameters, or three whose last is a mask.
    private func takesTensors(_ parameters: Parameters, skipSelf: Bool) -> Bool {
        let required = requiredCount(parameters, skipSelf: skipSelf)
        return required == 2 || required == 3 && maskParameter(parameters, skipSelf: skipSelf) != nil
    }

    /// The third required parameter of a loss, when its name says it masks the pixels that count (`mask`,
    /// `valid_mask`, `loss_mask`).
    private func maskParameter(_ parameters: Parameters, skipSelf: Bool) -> String? {
        let required = parameters.positional.dropFirst(skipSelf ? 1 : 0).filter { $0.defaultValue == nil }
        guard required.count == 3, let name = required.last?.name, name.lowercased().split(separator: "_").contains(where: { $0 == "mask" || $0 == "valid" }) else { return nil }
        return name
    }

    /// A candidate from a function's signature, if it takes two required tensors (and perhaps a mask).
    private func candidate(_ name: String, _ function: FunctionValue, callable: Value, torchStyle: Bool, skipSelf: Bool = false,
                           site: FunctionValue? = nil, classLocation: SourcePosition? = nil) -> LossCandidate? {
        let function = function.signature
        let parameters = function.parameters.positional.dropFirst(skipSelf ? 1 : 0)
        guard takesTensors(function.parameters, skipSelf: skipSelf) else { return nil }
        let (a, b) = (parameters.first!.name, parameters.dropFirst().first!.name)
        var found = candidate(named: name, a, b, callable: callable, torchStyle: torchStyle, location: classLocation ?? (site ?? function).location)
        found.maskParameter = maskParameter(function.parameters, skipSelf: skipSelf)
        return found
    }

    /// The candidate of a callable whose first two parameters are `a` and `b`: which is the target follows their names.
    private func candidate(named name: String, _ a: String, _ b: String, callable: Value, torchStyle: Bool,
                           location: SourcePosition) -> LossCandidate {
        let targetFirst: Bool
        if Self.isTarget(a) || Self.isPrediction(b) { targetFirst = true }
        else if Self.isPrediction(a) || Self.isTarget(b) { targetFirst = false }
        else { targetFirst = !torchStyle }
        return LossCandidate(name: name, callable: callable, site: interpreter.site(location), targetFirst: targetFirst,
                             targetName: targetFirst ? a : b, predictionName: targetFirst ? b : a,
                             layout: usesTorch || torchStyle ? .channelsFirst : .channelsLast, isPyTorch: usesTorch || torchStyle)
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
    func unusedParameters(file: String) -> [SourceFact] {
        func fact(_ parameter: Parameter, _ owner: String) -> SourceFact {
            SourceFact(kind: .unusedParameter(name: parameter.name, owner: owner),
                       site: SourceSite(file: file, line: parameter.location.line, column: parameter.location.column))
        }
        switch callable {
        case .function(let function):
            guard case .statements(let body) = function.body else { return [] }
            let read = ASTWalk.names(in: body)
            return (function.parameters.positional + function.parameters.keywordOnly)
                .filter { $0.defaultValue != nil && !read.contains($0.name) }
                .map { fact($0, function.name) }
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
                .map { fact($0, "\(instance.cls.name).__init__") }
        default:
            return []
        }
    }
}
