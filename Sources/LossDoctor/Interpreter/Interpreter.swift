/// Limits on one evaluation, so that hostile or runaway code ends with a located error, never a hang.
public struct InterpreterLimits: Sendable {
    /// Statements and loop iterations per call of a loss.
    public var steps = 200_000
    /// Nested calls of user functions.
    public var callDepth = 64
    /// Elements of any single tensor.
    public var tensorElements = 16 * 1024 * 1024

    public init() {}
}

/// Evaluates a parsed module: the state of one file's evaluation (globals, diagnostics, limits).
/// It only knows tensor maths: imports bind framework namespaces or the user's sibling files,
/// and nothing ever touches the file system, processes or the network on behalf of the code.
public final class Interpreter {
    let file: String
    let limits: InterpreterLimits
    let globals: Scope
    let loader: ModuleLoader?
    private(set) var diagnostics: [SourceDiagnostic] = []
    /// (code, place) pairs already reported: one diagnostic per rule and place, whatever the probe.
    private var diagnosed = Set<String>()
    var steps = 0
    var callDepth = 0
    /// The `self` of each method being run, innermost last (for `super()`).
    private var selves: [InstanceValue] = []
    /// Whether the prediction went into an API that takes logits (`from_logits=True`, `*_with_logits`).
    private(set) var predictionIsLogits = false

    init(file: String, limits: InterpreterLimits = InterpreterLimits(), loader: ModuleLoader? = nil) {
        self.file = file
        self.limits = limits
        self.loader = loader
        self.globals = Scope(parent: nil, file: file)
    }

    /// A source site in this file; `text` is the code there (an operator, a callee), for the caret's width.
    func site(_ location: SourcePosition, text: String? = nil) -> SourceSite {
        SourceSite(file: file, line: location.line, column: location.column, text: text)
    }

    /// Records a source finding once per rule and place.
    func diagnose(_ diagnostic: SourceDiagnostic) {
        let key = "\(diagnostic.code)@\(diagnostic.site.file):\(diagnostic.site.line):\(diagnostic.site.column)"
        if diagnosed.insert(key).inserted { diagnostics.append(diagnostic) }
    }

    /// The instance whose method is running, if any.
    func currentInstance() -> InstanceValue? { selves.last }

    /// Notes that a logits API received `tensor`: when it comes from the prediction, the loss takes logits;
    /// when it is the output of a sigmoid or softmax, the API is fed probabilities (LD305 input-domain).
    func noteLogitsInput(_ tensor: Tensor, at site: SourceSite) {
        guard tensor.dependsOnVariable else { return }
        predictionIsLogits = true
        var current = tensor
        while let node = current.node, GraphScan.isLayoutOnly(node.op), let input = node.inputs.first { current = input }
        if let op = current.op, op.name == "sigmoid" || op.name == "softmax" {
            diagnose(SourceDiagnostic(
                code: "LD305", message: "a logits API receives the output of `\(op.name)`: probabilities are squashed a second time", site: site,
                notes: ["`*_with_logits` and `from_logits=True` apply the sigmoid themselves: the target becomes unreachable and the gradient shrinks"]))
        }
    }

    /// Starts the evaluation of one probe: fresh step budget.
    func beginEvaluation() {
        steps = 0
        callDepth = 0
        selves = []
    }

    /// Starts collecting the diagnostics of one loss.
    func beginLoss() {
        diagnostics = []
        diagnosed = []
        predictionIsLogits = false
    }

    /// Counts a step, failing when the budget is spent.
    func step(_ location: SourcePosition) throws {
        steps += 1
        if steps > limits.steps {
            throw InterpreterError(.limit, "evaluation exceeded \(limits.steps) steps (an endless loop?)", at: site(location),
                                   hint: "raise the limit with --max-steps")
        }
    }

    /// Runs a module's top-level statements. A failing statement is recorded and the rest still run,
    /// so that one bad line does not hide the file's other losses.
    func run(_ module: Module) -> [InterpreterError] {
        var errors: [InterpreterError] = []
        for statement in module.statements {
            do {
                _ = try execute(statement, in: globals)
            } catch let error as InterpreterError {
                errors.append(error)
            } catch {
                errors.append(InterpreterError(.pythonError, "\(error)", at: site(statement.location)))
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
        do {
            return try Tensor.$currentSite.withValue(site) {
                try Tensor.$elementLimit.withValue(limits.tensorElements) { try body() }
            }
        } catch let error as EngineError {
            switch error {
            case .tooLarge: throw InterpreterError(.limit, error.description, at: site, hint: "raise the limit with --max-elements")
            case .shapeMismatch: throw InterpreterError(.pythonError, "ValueError: \(error.description)", at: site)
            case .invalidArgument: throw InterpreterError(.pythonError, error.description, at: site)
            }
        }
    }

    // MARK: Calls

    /// Calls any callable value.
    func call(_ callee: Value, _ positional: [Value], _ keywords: [(name: String, value: Value)], site: SourceSite) throws -> Value {
        switch callee {
        case .function(let function):
            return try invoke(function, positional, keywords, site: site)
        case .boundMethod(let instance, let function):
            return try invoke(function, [.instance(instance)] + positional, keywords, site: site)
        case .builtin(let builtin):
            // A method receives its object as the first argument: `t.sum(dim=1)` is `torch.sum(t, dim=1)`.
            let call = Call(name: builtin.name, positional: builtin.receiver.map { [$0] + positional } ?? positional,
                            keywords: keywords, site: site, captured: builtin.captured, interpreter: self)
            return try engine(site) { try builtin.function(call) }
        case .userClass(let cls):
            let instance = InstanceValue(cls: cls)
            if case .function(let initializer)? = cls.lookup("__init__") {
                _ = try invoke(initializer, [.instance(instance)] + positional, keywords, site: site)
            }
            return .instance(instance)
        case .instance(let instance):
            for method in ["__call__", "forward", "call"] {
                if case .function(let function)? = instance.cls.lookup(method) {
                    return try invoke(function, [.instance(instance)] + positional, keywords, site: site)
                }
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
            return type.isFloatingPoint ? .float(number) : .int(Int(number.rounded(.towardZero)))
        case .module(let path):
            throw InterpreterError(.unsupportedCall, "`\(path)` is not a call LossDoctor knows", at: site,
                                   hint: Self.unsupportedCallHint(path))
        default:
            throw InterpreterError(.pythonError, "TypeError: '\(callee.typeName)' object is not callable", at: site)
        }
    }

    static func unsupportedCallHint(_ path: String) -> String {
        "LossDoctor evaluates only the framework APIs it models (see `loss-doctor list apis`); rewrite the call with those, or report the API you need"
    }

    /// Calls a user function: binds parameters like Python and runs the body in a fresh scope.
    func invoke(_ function: FunctionValue, _ positional: [Value], _ keywords: [(name: String, value: Value)], site: SourceSite) throws -> Value {
        callDepth += 1
        defer { callDepth -= 1 }
        guard callDepth <= limits.callDepth else {
            throw InterpreterError(.limit, "RecursionError: maximum recursion depth of \(limits.callDepth) calls exceeded in \(function.name)()", at: site)
        }
        let scope = Scope(parent: function.closure, file: function.file)
        try bindParameters(function, positional, keywords, into: scope, site: site)
        let isMethod = function.parameters.positional.first?.name == "self"
        if isMethod, case .instance(let instance)? = scope["self"] { selves.append(instance) }
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
