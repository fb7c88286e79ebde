/// The calling convention of every framework and Python built-in: one function per API, in tables
/// keyed by canonical name (`K.sum`, `tf.reduce_sum`, `torch.sum`, `F.binary_cross_entropy`, `np.sum`,
/// `Tensor.view`, `builtins.len`). Adding an API is adding one entry.
typealias BuiltinFunction = @Sendable (Call) throws -> Value

/// A call's argument expressions and the scope they were evaluated in.
struct CallSource {
    let arguments: [Argument]
    let scope: Scope

    func keyword(_ name: String) -> Expr? {
        for argument in arguments { if case .keyword(name, let value) = argument.kind { return value } }
        return nil
    }
}

/// One call of a built-in: its arguments, where it was written, and the interpreter to ask for help.
struct Call {
    /// The canonical name of the API being called.
    let name: String
    let positional: [Value]
    let keywords: [(name: String, value: Value)]
    let site: SourceSite
    /// Keyword arguments a loss object was constructed with (`nn.BCELoss(reduction="sum")`), applied to its calls.
    let captured: [(String, Value)]
    let interpreter: Interpreter
    /// The call's arguments as written in the source, when it was written as a call (not made by another builtin).
    var source: CallSource? = nil

    /// Writes `value` into the array passed as the keyword argument `keyword` (NumPy and SciPy output arguments:
    /// `distance_transform_edt(x, distances=out[c])`). The interpreter's arrays are values, so the result is
    /// assigned back to the place the argument names; an argument that names no place (a temporary) is unseen.
    func writeOutput(_ keyword: String, _ value: Value) throws {
        guard let source, let argument = source.keyword(keyword), let place = try interpreter.place(argument, in: source.scope) else { return }
        try interpreter.assign(value, to: place, in: source.scope)
    }

    /// A Python-level error at this call (what the framework would raise).
    func error(_ message: String) -> InterpreterError { InterpreterError(.pythonError, message, at: site) }

    /// A string method that makes a new string from its receiver (`str.upper()`): the pass over it counted
    /// as steps and the result charged to memory, like every builtin that walks or makes a long string.
    func transformString(_ transform: (String) -> String) throws -> Value {
        guard case .string(let s) = positional[0] else { return .none }
        try interpreter.scan(s, at: site)
        let result = transform(s)
        try interpreter.allocate(bytes: result.utf8.count, at: site)
        return .string(result)
    }

    /// Records a fact about the source at this call and goes on.
    func notice(_ kind: SourceFact.Kind) {
        interpreter.notice(kind, at: site)
    }

    /// Binds arguments to a Python-style signature: `"x, axis=None, keepdims=False"`. A parameter may have
    /// aliases (`"axis|dim=None"`: PyTorch's `dim` for NumPy's `axis`); `*` starts keyword-only parameters.
    func bind(_ signature: String) throws -> Arguments {
        let spec = BuiltinSignature.parse(signature)
        var values: [String: Value] = [:]
        var positionalIndex = 0
        for value in positional {
            guard positionalIndex < spec.positionalCount else {
                throw error("\(name)() takes \(spec.positionalCount) positional argument\(spec.positionalCount == 1 ? "" : "s") but \(positional.count) were given")
            }
            values[spec.parameters[positionalIndex].names[0]] = value
            positionalIndex += 1
        }
        for (key, value) in keywords + captured.filter({ c in !keywords.contains { $0.name == c.0 } }) {
            guard let parameter = spec.parameters.first(where: { $0.names.contains(key) }) else {
                throw error("\(name)() got an unexpected keyword argument '\(key)'")
            }
            if values[parameter.names[0]] != nil, !captured.contains(where: { $0.0 == key }) {
                throw error("\(name)() got multiple values for argument '\(key)'")
            }
            values[parameter.names[0]] = value
        }
        for parameter in spec.parameters where values[parameter.names[0]] == nil {
            guard let fallback = parameter.defaultValue else {
                throw error("\(name)() missing required argument: '\(parameter.names[0])'")
            }
            values[parameter.names[0]] = fallback
        }
        return Arguments(call: self, values: values)
    }
}

/// Arguments bound to a signature, with conversions that raise located errors.
struct Arguments {
    let call: Call
    let values: [String: Value]

    subscript(name: String) -> Value { values[name] ?? .none }

    func isNone(_ name: String) -> Bool { if case .none = self[name] { true } else { false } }

    func tensor(_ name: String) throws -> Tensor { try call.interpreter.tensor(self[name], site: call.site) }

    func optionalTensor(_ name: String) throws -> Tensor? { isNone(name) ? nil : try tensor(name) }

    func float(_ name: String) throws -> Float {
        switch self[name] {
        case .tensor(let t) where t.count == 1: return t.scalars[0]
        case let value:
            guard let number = value.number else { throw call.error("\(call.name)(): '\(name)' must be a number, not \(value.typeName)") }
            return Float(number)
        }
    }

    func int(_ name: String) throws -> Int {
        guard let number = self[name].number ?? self[name].tensor?.scalar.map(Double.init), let integer = Int(exactly: number) else {
            throw call.error("\(call.name)(): '\(name)' must be an integer, not \(self[name].typeName)")
        }
        return integer
    }

    func bool(_ name: String) throws -> Bool {
        switch self[name] {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .none: return false
        case let value: throw call.error("\(call.name)(): '\(name)' must be a bool, not \(value.typeName)")
        }
    }

    func string(_ name: String) throws -> String? {
        switch self[name] {
        case .string(let s): return s
        case .none: return nil
        case let value: throw call.error("\(call.name)(): '\(name)' must be a string, not \(value.typeName)")
        }
    }

    /// Axes: None (all), an int, or a tuple/list of ints.
    func axes(_ name: String) throws -> [Int]? {
        switch self[name] {
        case .none: return nil
        case .int(let i): return [i]
        case .tensor(let t) where t.dtype != .float32 || t.scalars.allSatisfy({ $0 == $0.rounded() }):
            return try t.scalars.map { value in
                guard let axis = Int(exactly: value) else { throw call.error("\(call.name)(): '\(name)' must hold ints") }
                return axis
            }
        case let value:
            guard let items = value.sequence else { throw call.error("\(call.name)(): '\(name)' must be an int or a tuple of ints") }
            return try items.map { item in
                guard case .int(let i) = item else { throw call.error("\(call.name)(): '\(name)' must hold ints") }
                return i
            }
        }
    }

    /// A dtype given as a `DType`, a string (`'float32'`), or a Python type (`float`, `int`, `bool`).
    func dtype(_ name: String) throws -> DType? {
        switch self[name] {
        case .none: return nil
        case .dtype(let t): return t
        case .string(let s):
            guard let t = DType(pythonName: s) else { throw call.error("\(call.name)(): unknown dtype '\(s)'") }
            return t
        case .builtin(let b) where b.name == "builtins.float": return .float32
        case .builtin(let b) where b.name == "builtins.int": return .int64
        case .builtin(let b) where b.name == "builtins.bool": return .bool
        case let value: throw call.error("\(call.name)(): '\(name)' must be a dtype, not \(value.typeName)")
        }
    }
}

extension DType {
    /// Parses `'float32'`, `'int64'`, `'uint8'`, `'bool'`, `'float'`, `'int'` and friends.
    init?(pythonName: String) {
        let name = pythonName.split(separator: ".").last.map(String.init) ?? pythonName
        switch name {
        case "float", "float32", "single": self = .float32
        case "double", "float64": self = .float64
        case "half", "float16", "bfloat16": self = .float16
        case "int", "int64", "long": self = .int64
        case "int32": self = .int32
        case "int16", "short": self = .int16
        case "int8": self = .int8
        case "uint8": self = .uint8
        case "bool", "bool_": self = .bool
        default: return nil
        }
    }
}

/// A parsed built-in signature.
struct BuiltinSignature {
    struct Parameter {
        let names: [String]
        let defaultValue: Value?
    }
    let parameters: [Parameter]
    let positionalCount: Int

    static func parse(_ text: String) -> BuiltinSignature {
        var parameters: [Parameter] = []
        var positionalCount: Int?
        for raw in text.split(separator: ",").map({ $0.trimmingCharacters() }) where !raw.isEmpty {
            if raw == "*" { positionalCount = parameters.count; continue }
            let parts = raw.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters() }
            let names = parts[0].split(separator: "|").map(String.init)
            parameters.append(Parameter(names: names, defaultValue: parts.count > 1 ? literal(parts[1]) : nil))
        }
        return BuiltinSignature(parameters: parameters, positionalCount: positionalCount ?? parameters.count)
    }

    private static func literal(_ text: String) -> Value {
        switch text {
        case "None": return .none
        case "True": return .bool(true)
        case "False": return .bool(false)
        default:
            if let i = Int(text) { return .int(i) }
            if let d = Double(text) { return .float(d) }
            if text.hasPrefix("'") || text.hasPrefix("\"") { return .string(String(text.dropFirst().dropLast())) }
            return .none
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces (no Foundation needed).
    func trimmingCharacters() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
