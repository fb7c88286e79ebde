/// Limits on checking a file, so that hostile or runaway code ends with a located LD903 error for the loss
/// it is in, never a crash, a hang or an exhausted machine. The rest of the file is still checked.
public struct InterpreterLimits: Sendable {
    /// Statements, loop iterations, comprehension items, calls of user functions and tensor operations per
    /// evaluation of a loss (`--max-steps`). A loss is evaluated about 200 times per check; once it passes
    /// a limit, its remaining probes fail at once with the same error.
    public var steps = 200_000
    /// Nested calls of user functions (`--max-depth`).
    public var callDepth = 64
    /// Elements one evaluation of a loss holds, all tensors together (`--max-elements`): 4 bytes each, so
    /// the default of 20M is 80 MB of tensor data, so that two files checked at once stay under 200 MB. A
    /// freed tensor gives its elements back, so this bounds live memory: a loop that drops its temporaries
    /// runs until its steps or time run out. Near the limit, the values of old intermediates that the graph
    /// keeps are dropped and recomputed when read (`AllocationBudget`), so a 1,000-iteration
    /// `total += ((p - t) ** 2).mean()` on the 4x1x64x64 probes (33M elements kept) runs too.
    /// Each tensor also costs 32 elements of bookkeeping, an item of a new Python list or tuple 8 (a value
    /// takes 32 bytes or more), a string one per 4 bytes. A single tensor larger than this fails at the op
    /// that would make it. The file's top-level code and loss discovery share one more such budget, and so
    /// do values that evaluations keep for later (appended to a module-level list, stored on `self`).
    public var tensorElements = 20 * 1024 * 1024
    /// Nesting of brackets, operators and blocks in the parser (`--max-nesting`): deeper code is a
    /// syntax error, never a stack overflow.
    public var nestingDepth = 200
    /// Size of a source file in bytes (`--max-file-size`); a larger file is not read.
    public var fileBytes = 1 << 20
    /// Elements that the top-level code of all the files a process has checked may hold together: the
    /// CLI keeps every file's module until the report is written. Twice `tensorElements` (160 MB).
    public var modulesElements: Int { tensorElements > Int.max / 2 ? Int.max : 2 * tensorElements }
    /// Losses checked in one file (`--max-losses`): a megabyte of two-line losses would otherwise take
    /// hours; the file's findings say how many were left out.
    public var lossesPerFile = 100
    /// Wall-clock seconds for checking one loss, every probe and the simulated training together
    /// (`--timeout`; a healthy loss takes about a second); the module's top-level code and loss discovery
    /// get the same budget.
    public var seconds: Double = 20

    /// The default limits.
    public init() {}
}

/// Evaluates a parsed module: the state of one file's evaluation (globals, source facts, limits).
/// It only knows tensor maths: imports bind framework namespaces or the user's sibling files,
/// and nothing ever touches the file system, processes or the network on behalf of the code.
final class Interpreter {
    let file: String
    let limits: InterpreterLimits
    let globals: Scope
    let loader: ModuleLoader?
    /// What the evaluation noticed in the source, for the source rules to word.
    private(set) var sourceFacts: [SourceFact] = []
    /// (code, place) pairs already recorded: one fact per rule and place, whatever the probe.
    private var noticed = Set<String>()
    var steps = 0
    var callDepth = 0
    /// The elements allocated by the current evaluation (`limits.tensorElements`); before the first
    /// probe, by the module's code and loss discovery together.
    private(set) var budget: AllocationBudget
    /// The elements that evaluations stored into containers older than themselves: memory that outlives
    /// the call, so it is never reset.
    private let retained: AllocationBudget
    /// Numbers each evaluation of a loss (0: module code and discovery), to tell the containers an
    /// evaluation made from older ones (`ListBox.epoch`).
    private(set) var epoch = 0
    /// The epoch that containers created now belong to (bound by `InterpreterBox` around each evaluation).
    @TaskLocal static var creationEpoch = 0
    /// Where objects made now are registered, to be emptied when their evaluation or file is done.
    @TaskLocal static var arena: Arena?
    /// The objects of the module's code and of discovery: shared with the sibling modules the file imports
    /// (the loader's), emptied when the last of them is gone.
    let moduleArena: Arena
    private let ownsModuleArena: Bool
    /// When the current loss's wall-clock budget runs out (`limits.seconds`).
    private var deadline: ContinuousClock.Instant
    /// The limit the current loss passed, if any: its remaining evaluations fail at once with it.
    var exceeded: InterpreterError?
    /// Limits that loss discovery met (too many losses), reported with the module's errors.
    var discoveryErrors: [InterpreterError] = []
    /// The loss classes discovery could not construct, each reported once under its own name.
    var unbuiltLosses: [UnbuiltLoss] = []
    /// The `self` of each method being run and the class that defined the method, innermost last (for `super()`).
    private var selves: [(instance: InstanceValue, owner: ClassValue?)] = []
    /// The exceptions whose `except` handlers are running, innermost last (a bare `raise` re-raises the last).
    var handledErrors: [InterpreterError] = []
    /// The exception objects `raise` statements raised in this evaluation; an error carries its object's
    /// index (`InterpreterError.raised`), so the handler that catches it binds that very object.
    var raisedExceptions: [ExceptionValue] = []
    /// The `with torch.no_grad():` blocks and `@torch.no_grad()` functions being run, innermost last:
    /// while there is one, every tensor computed from the prediction is cut from the graph there.
    var gradientCuts: [SourceSite] = []
    /// Whether the prediction went into an API that takes logits (`from_logits=True`, `*_with_logits`).
    private(set) var predictionIsLogits = false
    /// Whether the prediction itself (reshaped at most) went into `nll_loss`, which takes log-probabilities.
    private(set) var predictionIsLogProbabilities = false
    /// The `torch.autograd.Function` subclasses the loss applied: their hand-written backward is not checked.
    var customGradients: [String] = []
    /// A library option asking for several channels that the library ignored on a one-channel prediction, as
    /// MONAI warns ("single channel prediction, `to_onehot_y=True` ignored."): target inference reads it as a
    /// one-channel probe that does not fit, and resets it before each call.
    var ignoredMultiClassOption: String?
    /// The directory of an imported module this interpreter runs, which its own imports resolve from
    /// (nil: the checked file's, the loader's directory).
    var moduleDirectory: String? = nil
    /// An imported module's code (one with a `moduleDirectory`) goes on past a failing statement, and the
    /// names that statement would have bound raise its error when read (`Value.unavailable`): a library
    /// package whose `__init__` does more than LossDoctor models (logging set-up, version files, plugin
    /// discovery) still provides the loss and its helpers, and a failure the loss depends on is reported
    /// where the loss reaches it.
    var defersModuleErrors: Bool { moduleDirectory != nil }

    init(file: String, limits: InterpreterLimits = InterpreterLimits(), loader: ModuleLoader? = nil) {
        self.file = file
        self.limits = limits
        self.loader = loader
        self.globals = Scope(parent: nil, file: file)
        self.moduleArena = loader?.arena ?? Arena()
        self.ownsModuleArena = loader == nil
        moduleArena.adopt(globals)
        // The module's own name, so that `if __name__ == "__main__":` (a demo run) is skipped, as on import.
        let base = file.split(separator: "/").last.map(String.init) ?? file
        globals["__name__"] = .string(base.hasSuffix(".py") ? String(base.dropLast(3)) : base)
        self.budget = AllocationBudget(limit: limits.tensorElements)
        self.retained = AllocationBudget(limit: limits.tensorElements)
        let shared = Self.modules, limit = limits.modulesElements, share = moduleShare
        budget.alsoCharge = { (cost: Int) throws(EngineError) in
            try shared.charge(cost, limit: limit)
            share.charged += cost
        }
        self.deadline = Self.deadline(after: limits.seconds)
    }

    deinit {
        Self.modules.refund(moduleShare.charged)
        guard ownsModuleArena else { return }
        let arena = moduleArena
        LargeStack.run { arena.clear() }
    }

    /// What the module code of the interpreters alive in this process holds (`limits.modulesElements`).
    static let modules = SharedBudget()
    /// What this interpreter's module code charged to `modules`, given back when it goes.
    private let moduleShare = ModuleShare()

    /// Hands what this interpreter charged to `modules` to whoever keeps its globals (the loader of an
    /// imported module, whose values outlive the interpreter that made them): it is then given back by them.
    func handOverModuleCharge() -> Int {
        defer { moduleShare.charged = 0 }
        return moduleShare.charged
    }

    final class ModuleShare: @unchecked Sendable {
        var charged = 0
    }

    private static func deadline(after seconds: Double) -> ContinuousClock.Instant {
        ContinuousClock.now.advanced(by: seconds.isFinite ? .seconds(Swift.min(Swift.max(seconds, 0), 1e9)) : .seconds(1e9))
    }

    /// A source site in the file whose code is running; `text` is the code there (an operator, a callee),
    /// for the caret's width.
    func site(_ location: SourcePosition, text: String? = nil) -> SourceSite {
        SourceSite(file: runningFile ?? file, line: location.line, column: location.column, text: text)
    }

    /// The file of the user function running now, when it is not this interpreter's own file (a function an
    /// imported module defined): its sites are in that file.
    private var runningFile: String?

    /// Records a fact about the source once per rule and place.
    func notice(_ kind: SourceFact.Kind, at site: SourceSite) {
        let fact = SourceFact(kind: kind, site: site)
        let key = "\(fact.code)@\(site.file):\(site.line):\(site.column)"
        if noticed.insert(key).inserted { sourceFacts.append(fact) }
    }

    /// The instance whose method is running, if any.
    func currentInstance() -> InstanceValue? { selves.last?.instance }

    /// The class whose method is running (`super()` without arguments starts after it).
    func currentOwner() -> ClassValue? { selves.last?.owner }

    /// Notes that a logits API received `tensor`: when it comes from the prediction, the loss takes logits;
    /// when it is the output of a sigmoid or softmax, the API is fed probabilities (LD305 input-domain).
    func noteLogitsInput(_ tensor: Tensor, at site: SourceSite) {
        guard tensor.dependsOnVariable else { return }
        predictionIsLogits = true
        if let op = GraphScan.behindLayout(tensor).op, op.name == "sigmoid" || op.name == "softmax" {
            notice(.logitsAPIGivenActivation(op.name), at: site)
        }
    }

    /// Notes that `nll_loss` received `tensor`: when it is the prediction itself (reshaped at most), the loss
    /// takes log-probabilities.
    func noteLogProbabilitiesInput(_ tensor: Tensor) {
        if case .variable? = GraphScan.behindLayout(tensor).op { predictionIsLogProbabilities = true }
    }

    /// `engine`'s result inside a `with torch.no_grad():` block: tensors computed from the prediction are
    /// cut from the graph (the others have no gradient to lose).
    static func withoutGradient<T>(_ result: T) throws(EngineError) -> T {
        if let tensor = result as? Tensor { return try detached(tensor) as! T }
        if let value = result as? Value { return try detached(value) as! T }
        return result
    }

    private static func detached(_ tensor: Tensor) throws(EngineError) -> Tensor {
        tensor.dependsOnVariable ? try tensor.stopGradient() : tensor
    }

    private static func detached(_ value: Value) throws(EngineError) -> Value {
        switch value {
        case .tensor(let t): return .tensor(try detached(t))
        case .tuple(let items):
            var result: [Value] = []
            for item in items { result.append(try detached(item)) }
            return .tuple(result)
        default: return value
        }
    }

    /// Starts a piece of evaluation (a top-level statement, a factory or constructor call in discovery):
    /// fresh step budget.
    func beginEvaluation() {
        steps = 0
        callDepth = 0
        selves = []
        handledErrors = []
        raisedExceptions = []
        gradientCuts = []
    }

    /// Starts one evaluation of a loss: fresh step and memory budgets, and a new epoch.
    func beginProbe() {
        beginEvaluation()
        if epoch == 0 {
            budget = AllocationBudget(limit: limits.tensorElements)  // the module's stays charged to `modules`
        } else {
            budget.reset()
        }
        epoch += 1
    }

    /// Charges `value` to the memory kept across evaluations when it is stored into a container made
    /// before the current evaluation (`epoch`): a module-level list, a default argument, an attribute of
    /// the loss object. Values stored into the evaluation's own containers are freed with it.
    func retain(_ value: Value, into epoch: Int, at site: SourceSite) throws {
        guard epoch != Self.creationEpoch else { return }
        do { try retained.charge(Self.footprint(value)) } catch {
            throw InterpreterError(.limit, "values kept across evaluations of the loss (stored into lists, dicts or attributes made before the call) reach \(retained.used) elements, over the limit of \(limits.tensorElements)",
                                   at: site, hint: "raise the limit with --max-elements, or keep no state across calls of the loss")
        }
    }

    /// Elements a value holds: a tensor's, a string's bytes, a container's items and (two levels deep) theirs.
    static func footprint(_ value: Value, depth: Int = 0) -> Int {
        func items(_ values: [Value]) -> Int {
            let own = values.count * elementsPerItem
            return depth < 2 ? values.reduce(own) { $0 &+ footprint($1, depth: depth + 1) } : own
        }
        switch value {
        case .tensor(let t): return t.count
        case .string(let s): return s.utf8.count / 4 + 1
        case .tuple(let values): return items(values)
        case .list(let box): return items(box.items)
        case .dict(let box): return items(box.entries.map(\.value))
        default: return 1
        }
    }

    /// Starts collecting the source facts of one loss, and its wall-clock budget.
    func beginLoss() {
        sourceFacts = []
        noticed = []
        predictionIsLogits = false
        predictionIsLogProbabilities = false
        customGradients = []
        deadline = Self.deadline(after: limits.seconds)
        exceeded = nil
    }

    /// Counts a step, failing when the step budget or the time budget is spent.
    func step(_ location: SourcePosition) throws {
        try step(at: site(location))
    }

    /// Counts `count` steps at `site` (for work that is not a statement: a call, comparing long lists).
    func step(at site: @autoclosure () -> SourceSite, count: Int = 1) throws {
        steps = steps > Int.max - count ? Int.max : steps + count
        if steps > limits.steps {
            throw InterpreterError(.limit, "evaluation exceeded \(limits.steps) steps (an endless loop?)", at: site(),
                                   hint: "raise the limit with --max-steps")
        }
        // The clock is read every 64 steps, on an evaluation's first step (54 probes of a few slow steps each
        // must not slip through), and for any charge of several steps at once (work inside a builtin).
        if steps & 63 == 0 || steps == 1 || count > 1 { try checkDeadline(at: site()) }
    }

    /// Items of Python-level work a builtin does in Swift per interpreter step: sorting, searching and
    /// building a million items costs what 60,000 statements do, so the step and time limits bound them.
    static let itemsPerStep = 16

    /// Counts the steps of `items` items of work inside a builtin (and reads the clock), before doing it.
    func work(items: Int, at site: @autoclosure () -> SourceSite) throws {
        try step(at: site(), count: items / Self.itemsPerStep + 1)
    }

    /// Counts a pass over strings (a substring search, split, replace or partition: Swift's search is linear,
    /// about 50 ns a character): a step per 64 bytes, so the clock is read before any long one. Uncharged,
    /// 100 partitions of a 4 MB string ran 74 s under a 20 s `--timeout`.
    func scan(_ texts: String..., at site: @autoclosure () -> SourceSite) throws {
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        try step(at: site(), count: bytes / 64 + 1)
    }

    /// Fails once the loss's wall-clock budget is spent.
    func checkDeadline(at site: @autoclosure () -> SourceSite) throws {
        guard ContinuousClock.now >= deadline else { return }
        throw InterpreterError(.limit, "checking the loss took longer than \(formatNumber(limits.seconds)) s", at: site(),
                               hint: "raise the limit with --timeout")
    }

    /// Charges a new Python list or tuple of `items` to the evaluation's memory budget: an item costs
    /// `elementsPerItem` elements (a value takes 32 bytes or more, a tensor element 4).
    func allocate(items: Int, at site: SourceSite) throws {
        do { try budget.charge(items > Int.max / Self.elementsPerItem ? Int.max : items * Self.elementsPerItem) } catch {
            throw limitError(error, at: site)
        }
    }

    /// Charges a new string of `bytes` to the evaluation's memory budget (4 bytes an element).
    func allocate(bytes: Int, at site: SourceSite) throws {
        do { try budget.charge(bytes / 4 + 1) } catch { throw limitError(error, at: site) }
    }

    static let elementsPerItem = 8

    /// The LD903 error for a tensor or an evaluation that is too large.
    func limitError(_ error: EngineError, at site: SourceSite) -> InterpreterError {
        if case .budgetExceeded(let elements, let limit) = error, epoch == 0 {
            if limit == limits.tensorElements {
                return InterpreterError(.limit, "the file's top-level code and loss discovery allocated \(elements) elements of tensors and Python sequences (\(AllocationBudget.megabytes(elements)) MB as float32), over the limit of \(limit)",
                                        at: site, hint: "raise the limit with --max-elements")
            }
            return InterpreterError(.limit, "the top-level code of the files checked together holds \(elements) elements (\(AllocationBudget.megabytes(elements)) MB as float32), over the limit of \(limit) for all files (2 x --max-elements)",
                                    at: site, hint: "raise the limit with --max-elements, or check fewer files at once")
        }
        return InterpreterError(.limit, error.description, at: site, hint: "raise the limit with --max-elements")
    }

    /// Runs a module's top-level statements. A failing statement is recorded and the rest still run,
    /// so that one bad line does not hide the file's other losses: each statement has the step budget of
    /// an evaluation (the wall-clock budget is the module's).
    func run(_ module: Module) -> [InterpreterError] {
        LargeStack.run { runHere(module) }
    }

    private func runHere(_ module: Module) -> [InterpreterError] {
        Self.$arena.withValue(moduleArena) { runStatements(module) }
    }

    private func runStatements(_ module: Module) -> [InterpreterError] {
        var errors: [InterpreterError] = []
        for statement in module.statements {
            let failure: InterpreterError
            do {
                beginEvaluation()  // each statement has the step budget; the memory budget is the module's
                _ = try execute(statement, in: globals)
                continue
            } catch let error as InterpreterError {
                failure = error
            } catch {
                failure = InterpreterError(.pythonError, "\(error)", at: site(statement.location))
            }
            guard defersModuleErrors, failure.kind != .limit else {
                errors.append(failure)
                continue
            }
            for name in ASTWalk.boundNames(by: statement) where globals.variables[name] == nil {
                globals[name] = .unavailable(failure)
            }
        }
        return errors
    }

    /// Converts a value to a tensor: tensors pass, Python numbers and (nested) lists become constants.
    func tensor(_ value: Value, site: SourceSite) throws -> Tensor {
        switch value {
        case .tensor(let t): return t
        case .bool(let b): return Tensor(b ? 1 : 0, dtype: .bool)
        case .int(let i): return Tensor(Float(i), dtype: .int64)
        case .float(let f): return Tensor(Float(f))
        case .tuple, .list:
            let items = try value.sequence!.map { try tensor($0, site: site) }
            guard !items.isEmpty else { return Tensor(shape: [0], scalars: []) }
            return try engine(site) { try Tensor.stack(items) }
        default:
            throw InterpreterError(.pythonError, "expected a tensor or a number, got \(value.typeName)", at: site)
        }
    }

    /// Runs engine code attributing new ops to `site`, turning engine errors into located Python errors.
    func engine<T>(_ site: SourceSite, _ body: () throws -> T) throws -> T {
        try step(at: site)  // every framework call counts: a loop inside one call (`sum([x] * 10**6)`) is bounded too
        do {
            return try Tensor.$currentSite.withValue(site) {
                try Tensor.$elementLimit.withValue(limits.tensorElements) {
                    try Tensor.$budget.withValue(budget) {
                        let result = try body()
                        guard let cut = gradientCuts.last else { return result }
                        return try Tensor.$currentSite.withValue(cut) { try Self.withoutGradient(result) }
                    }
                }
            }
        } catch let error as EngineError {
            switch error {
            case .tooLarge, .budgetExceeded: throw limitError(error, at: site)
            case .shapeMismatch: throw InterpreterError(.pythonError, "ValueError: \(error.description)", at: site)
            case .invalidArgument: throw InterpreterError(.pythonError, error.description, at: site)
            }
        }
    }

    // MARK: Calls

    /// Builds the PyTorch loss a class derives from (its `__init__`) for an instance: the object is kept for
    /// `forward`, and its options (`reduction`, `weight`, `pos_weight`...) become the instance's attributes.
    func buildFrameworkLoss(_ base: BuiltinValue, of instance: InstanceValue, _ positional: [Value],
                            _ keywords: [(name: String, value: Value)], site: SourceSite) throws {
        let loss = try call(.builtin(base), positional, keywords, site: site)
        instance.attributes[ClassValue.frameworkLossAttribute] = loss
        if case .builtin(let built) = loss { for (name, value) in built.captured { instance.attributes[name] = value } }
    }

    /// The PyTorch loss object of an instance whose class derives from one, built with its defaults when the
    /// class's own `__init__` did not call `super().__init__`.
    func frameworkLoss(_ base: BuiltinValue, of instance: InstanceValue, site: SourceSite) throws -> Value {
        if let loss = instance.attributes[ClassValue.frameworkLossAttribute] { return loss }
        try buildFrameworkLoss(base, of: instance, [], [], site: site)
        return instance.attributes[ClassValue.frameworkLossAttribute]!
    }

    /// Calls any callable value.
    /// `source`: the arguments as written, for builtins that write into an output argument.
    func call(_ callee: Value, _ positional: [Value], _ keywords: [(name: String, value: Value)], site: SourceSite,
              source: CallSource? = nil) throws -> Value {
        switch callee {
        case .function(let function):
            return try invoke(function, positional, keywords, site: site)
        case .boundMethod(let instance, let function):
            return try invoke(function, [.instance(instance)] + positional, keywords, site: site)
        case .classBoundMethod(let cls, let function):
            return try invoke(function, [.userClass(cls)] + positional, keywords, site: site)
        case .builtin(let builtin):
            // A method receives its object as the first argument: `t.sum(dim=1)` is `torch.sum(t, dim=1)`.
            let call = Call(name: builtin.name, positional: builtin.receiver.map { [$0] + positional } ?? positional,
                            keywords: keywords, site: site, captured: builtin.captured, interpreter: self, source: source)
            return try engine(site) { try builtin.function(call) }
        case .userClass(let cls) where cls.enumMembers != nil:
            return try enumMember(of: cls, positional, keywords, site: site)
        case .userClass(let cls):
            let instance = InstanceValue(cls: cls)
            if case .function(let initializer)? = cls.lookup("__init__") {
                _ = try invoke(initializer, [.instance(instance)] + positional, keywords, site: site)
            } else if let base = cls.frameworkLossBase {
                try buildFrameworkLoss(base, of: instance, positional, keywords, site: site)
            } else if !positional.isEmpty {
                instance.attributes["args"] = .tuple(positional)  // `class MyError(ValueError)` raised with a message
            }
            return .instance(instance)
        case .instance(let instance):
            for method in ["__call__", "forward", "call"] {
                if case .function(let function)? = instance.cls.lookup(method) {
                    return try invoke(function, [.instance(instance)] + positional, keywords, site: site)
                }
            }
            if let base = instance.cls.frameworkLossBase {
                return try call(frameworkLoss(base, of: instance, site: site), positional, keywords, site: site)
            }
            throw InterpreterError(.pythonError, "TypeError: '\(instance.cls.name)' object is not callable", at: site)
        case .dtype(let type):
            // `np.float32(x)`, `torch.float32` is not callable but NumPy's scalar types are: a cast.
            guard positional.count == 1, keywords.isEmpty else {
                throw InterpreterError(.pythonError, "TypeError: \(type.rawValue)() takes one argument", at: site)
            }
            if case .tensor(let t) = positional[0] { return .tensor(try engine(site) { try t.cast(type) }) }
            guard let number = positional[0].number else {
                throw InterpreterError(.pythonError, "TypeError: \(type.rawValue)() needs a number or an array", at: site)
            }
            if type.isFloatingPoint { return .float(number) }
            guard let integer = Int(exactly: number.rounded(.towardZero)) else {
                throw InterpreterError(.pythonError, "OverflowError: cannot convert \(formatNumber(number)) to \(type.rawValue)", at: site)
            }
            return .int(integer)
        case .module(let path):
            throw InterpreterError(.unsupportedCall, "`\(path)` is not a call LossDoctor knows", at: site,
                                   hint: Self.unsupportedCallHint(path))
        default:
            throw InterpreterError(.pythonError, "TypeError: '\(callee.typeName)' object is not callable", at: site)
        }
    }

    static func unsupportedCallHint(_ path: String) -> String {
        let nearest = BuiltinRegistry.nearest(to: path).map { "the nearest modelled API is `\($0)`; " } ?? ""
        return nearest + "LossDoctor evaluates only the framework APIs it models (see `loss-doctor list apis`); rewrite the call with those, or report the API you need"
    }

    /// Calls a user function: binds parameters like Python and runs the body in a fresh scope.
    func invoke(_ function: FunctionValue, _ positional: [Value], _ keywords: [(name: String, value: Value)], site: SourceSite) throws -> Value {
        try step(at: site)  // a lambda's body is no statement: calls count, so recursion through lambdas ends too
        callDepth += 1
        defer { callDepth -= 1 }
        guard callDepth <= limits.callDepth else {
            throw InterpreterError(.limit, "RecursionError: maximum recursion depth of \(limits.callDepth) calls exceeded in \(function.name)()", at: site)
        }
        let scope = Scope(parent: function.closure, file: function.file)
        let callerFile = runningFile
        runningFile = function.file == file ? nil : function.file
        defer { runningFile = callerFile }
        try bindParameters(function, positional, keywords, into: scope, site: site)
        if function.disablesGradient { gradientCuts.append(self.site(function.location, text: "@torch.no_grad()")) }
        defer { if function.disablesGradient { gradientCuts.removeLast() } }
        let isMethod = function.parameters.positional.first?.name == "self"
        if isMethod, case .instance(let instance)? = scope["self"] { selves.append((instance, function.owner)) }
        defer { if isMethod, case .instance? = scope["self"] { selves.removeLast() } }
        switch function.body {
        case .expression(let expression):
            return try evaluate(expression, in: scope)
        case .statements(let statements):
            if case .returned(let value) = try execute(statements, in: scope) { return value }
            return .none
        }
    }

    private func bindParameters(_ function: FunctionValue, _ positional: [Value], _ keywords: [(name: String, value: Value)],
                                into scope: Scope, site: SourceSite) throws {
        let parameters = function.parameters
        let name = function.name
        func typeError(_ message: String) -> InterpreterError {
            InterpreterError(.pythonError, "TypeError: \(name)() \(message)", at: site)
        }
        var extra: [Value] = []
        for (index, value) in positional.enumerated() {
            if index < parameters.positional.count {
                scope[parameters.positional[index].name] = value
            } else if parameters.variadic != nil {
                extra.append(value)
            } else {
                let count = parameters.positional.count
                throw typeError("takes \(count) positional argument\(count == 1 ? "" : "s") but \(positional.count) \(positional.count == 1 ? "was" : "were") given")
            }
        }
        if let variadic = parameters.variadic { scope[variadic.name] = .tuple(extra) }
        let extraKeywords = DictBox()
        let named = parameters.positional.dropFirst(parameters.positionalOnlyCount) + parameters.keywordOnly
        for (key, value) in keywords {
            if named.contains(where: { $0.name == key }) {
                if scope.variables[key] != nil { throw typeError("got multiple values for argument '\(key)'") }
                scope[key] = value
            } else if parameters.keywordVariadic != nil {
                extraKeywords[.string(key)] = value
            } else {
                throw typeError("got an unexpected keyword argument '\(key)'")
            }
        }
        if let keywordVariadic = parameters.keywordVariadic { scope[keywordVariadic.name] = .dict(extraKeywords) }
        let missing = (parameters.positional + parameters.keywordOnly).filter { scope.variables[$0.name] == nil }
        for parameter in missing {
            if let value = function.defaults[parameter.name] { scope[parameter.name] = value }
        }
        let stillMissing = missing.filter { scope.variables[$0.name] == nil }.map { "'\($0.name)'" }
        if !stillMissing.isEmpty {
            throw typeError("missing \(stillMissing.count) required argument\(stillMissing.count == 1 ? "" : "s"): \(stillMissing.joined(separator: " and "))")
        }
    }
}
