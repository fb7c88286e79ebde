/// `inspect.signature`, as library decorators use it to see how a function was called (MONAI's
/// `deprecated_arg` binds every call with `sig.bind(*args, **kwargs).arguments` to find a renamed argument).
/// A signature is its parameters: `(name, kind, default)` with Python's kind numbers; `bind` follows
/// Python's rules and, like Python, leaves defaults out until `apply_defaults()`.
enum InspectAPI {
    /// `inspect.Parameter`'s kinds, with Python's values.
    enum Kind: Int, CaseIterable {
        case positionalOnly = 0, positionalOrKeyword, variadic, keywordOnly, keywordVariadic

        var pythonName: String {
            ["POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD", "VAR_POSITIONAL", "KEYWORD_ONLY", "VAR_KEYWORD"][rawValue]
        }
    }

    /// What a parameter without a default holds: `inspect.Parameter.empty`, the same object under every name.
    static let emptyName = "inspect._empty"
    static var empty: Value { .module(emptyName) }

    /// Immutable values, hence safe to share.
    nonisolated(unsafe) static let constants: [String: Value] = {
        var values = ["inspect.Parameter.empty": empty, "inspect.Signature.empty": empty, emptyName: empty]
        for kind in Kind.allCases { values["inspect.Parameter.\(kind.pythonName)"] = .int(kind.rawValue) }
        return values
    }()

    static let functions: [String: BuiltinFunction] = [
        "inspect.signature": { call in
            let function = try call.bind("obj, *, follow_wrapped=True, globals=None, locals=None, eval_str=False")["obj"]
            return BuiltinValue.object("inspect.Signature", state: .tuple(try parameters(of: function, call).map(\.encoded)))
        },
    ]

    /// `sig.parameters`, `bound.arguments`, `param.kind`: attributes, read without a call.
    static let attributes: Set<String> = [
        "inspect.Signature.parameters", "inspect.BoundArguments.arguments", "inspect.BoundArguments.args",
        "inspect.BoundArguments.kwargs", "inspect.Parameter.name", "inspect.Parameter.kind", "inspect.Parameter.default",
    ]

    static let signatureMethods: [String: BuiltinFunction] = [
        "parameters": { call in
            let entries = try signature(call).map { parameter in
                (key: DictKey.string(parameter.name), value: BuiltinValue.object("inspect.Parameter", state: parameter.encoded))
            }
            return .dict(DictBox(entries))
        },
        "bind": { call in try bind(signature(call), Array(call.positional.dropFirst()), call.keywords, call, partial: false) },
        "bind_partial": { call in try bind(signature(call), Array(call.positional.dropFirst()), call.keywords, call, partial: true) },
    ]

    static let parameterMethods: [String: BuiltinFunction] = [
        "name": { call in .string(try parameter(call).name) },
        "kind": { call in .int(try parameter(call).kind.rawValue) },
        "default": { call in try parameter(call).default },
    ]

    /// A bound call: the arguments in parameter order (a dict the caller may change), and the signature.
    static let boundMethods: [String: BuiltinFunction] = [
        "arguments": { call in try field(call, 0) },
        "args": { call in
            let (arguments, parameters) = try bound(call)
            return .tuple(try parameters.filter { $0.kind.rawValue <= Kind.variadic.rawValue }.flatMap { parameter -> [Value] in
                guard let value = arguments[.string(parameter.name)] else { return [] }
                return parameter.kind == .variadic ? try call.interpreter.iterate(value, at: call.site) : [value]
            })
        },
        "kwargs": { call in
            let (arguments, parameters) = try bound(call)
            var entries: [(key: DictKey, value: Value)] = []
            for parameter in parameters where parameter.kind.rawValue >= Kind.keywordOnly.rawValue {
                guard let value = arguments[.string(parameter.name)] else { continue }
                if parameter.kind == .keywordVariadic, case .dict(let extra) = value { entries += extra.entries } else { entries.append((.string(parameter.name), value)) }
            }
            return .dict(DictBox(entries))
        },
        "apply_defaults": { call in
            let (arguments, parameters) = try bound(call)
            let given = arguments.entries
            var entries: [(key: DictKey, value: Value)] = []
            for parameter in parameters {
                if let value = given.first(where: { $0.key == .string(parameter.name) })?.value { entries.append((.string(parameter.name), value)); continue }
                switch parameter.kind {
                case .variadic: entries.append((.string(parameter.name), .tuple([])))
                case .keywordVariadic: entries.append((.string(parameter.name), .dict(DictBox())))
                default: if parameter.hasDefault { entries.append((.string(parameter.name), parameter.default)) }
                }
            }
            for (key, _) in given { arguments[key] = nil }
            for (key, value) in entries { arguments[key] = value }
            return .none
        },
    ]

    /// One parameter; a signature keeps its parameters as `encoded` values (name, kind number, default).
    struct Parameter {
        let name: String
        let kind: Kind
        let `default`: Value

        init(name: String, kind: Kind, default: Value) {
            (self.name, self.kind, self.default) = (name, kind, `default`)
        }

        init?(encoded: Value) {
            guard case .tuple(let fields) = encoded, fields.count == 3, case .string(let name) = fields[0], case .int(let raw) = fields[1],
                  let kind = Kind(rawValue: raw) else { return nil }
            self.init(name: name, kind: kind, default: fields[2])
        }

        var encoded: Value { .tuple([.string(name), .int(kind.rawValue), `default`]) }

        var hasDefault: Bool { if case .module(InspectAPI.emptyName) = `default` { false } else { true } }
    }

    /// The parameters of a function as `inspect.signature` shows them: a wrapper's are those of the function it
    /// wraps (`functools.wraps`), a bound method's lack the first.
    static func parameters(of value: Value, _ call: Call) throws -> [Parameter] {
        let function: FunctionValue, dropsFirst: Bool
        switch value {
        case .function(let f): (function, dropsFirst) = (f.signature, false)
        case .boundMethod(_, let f), .classBoundMethod(_, let f): (function, dropsFirst) = (f.signature, true)
        default:
            throw InterpreterError(.unsupportedCall, "`inspect.signature` of a \(value.typeName) is not a call LossDoctor models", at: call.site)
        }
        let declared = function.parameters
        var result: [Parameter] = []
        for (index, parameter) in declared.positional.enumerated() {
            result.append(Parameter(name: parameter.name, kind: index < declared.positionalOnlyCount ? .positionalOnly : .positionalOrKeyword,
                                    default: function.defaults[parameter.name] ?? empty))
        }
        if let variadic = declared.variadic { result.append(Parameter(name: variadic.name, kind: .variadic, default: empty)) }
        result += declared.keywordOnly.map { Parameter(name: $0.name, kind: .keywordOnly, default: function.defaults[$0.name] ?? empty) }
        if let keywords = declared.keywordVariadic { result.append(Parameter(name: keywords.name, kind: .keywordVariadic, default: empty)) }
        return Array(result.dropFirst(dropsFirst ? 1 : 0))
    }

    /// `Signature.bind`: each argument to its parameter as a call would bind it, or Python's TypeError.
    static func bind(_ parameters: [Parameter], _ positional: [Value], _ keywords: [(name: String, value: Value)], _ call: Call,
                     partial: Bool) throws -> Value {
        var values: [String: Value] = [:]
        var extraPositional: [Value] = []
        let extraKeywords = DictBox()
        let slots = parameters.filter { $0.kind.rawValue <= Kind.positionalOrKeyword.rawValue }
        for (index, value) in positional.enumerated() {
            if index < slots.count { values[slots[index].name] = value; continue }
            guard parameters.contains(where: { $0.kind == .variadic }) else { throw call.error("TypeError: too many positional arguments") }
            extraPositional.append(value)
        }
        for (name, value) in keywords {
            if let parameter = parameters.first(where: { $0.name == name && ($0.kind == .positionalOrKeyword || $0.kind == .keywordOnly) }) {
                guard values[parameter.name] == nil else { throw call.error("TypeError: multiple values for argument '\(name)'") }
                values[name] = value
            } else if parameters.contains(where: { $0.kind == .keywordVariadic }) {
                extraKeywords[.string(name)] = value
            } else {
                throw call.error("TypeError: got an unexpected keyword argument '\(name)'")
            }
        }
        var entries: [(key: DictKey, value: Value)] = []
        for parameter in parameters {
            switch parameter.kind {
            case .variadic: if !extraPositional.isEmpty { entries.append((.string(parameter.name), .tuple(extraPositional))) }
            case .keywordVariadic: if !extraKeywords.entries.isEmpty { entries.append((.string(parameter.name), .dict(extraKeywords))) }
            default:
                if let value = values[parameter.name] {
                    entries.append((.string(parameter.name), value))
                } else if !partial, !parameter.hasDefault {
                    throw call.error("TypeError: missing a required argument: '\(parameter.name)'")
                }
            }
        }
        return BuiltinValue.object("inspect.BoundArguments", state: .tuple([.dict(DictBox(entries)), .tuple(parameters.map(\.encoded))]))
    }

    private static func field(_ call: Call, _ index: Int) throws -> Value {
        guard case .tuple(let fields)? = call.positional.first, fields.indices.contains(index) else { throw call.error("TypeError: not an inspect object") }
        return fields[index]
    }

    private static func decode(_ value: Value) -> [Parameter] {
        guard case .tuple(let items) = value else { return [] }
        return items.compactMap(Parameter.init(encoded:))
    }

    private static func parameter(_ call: Call) throws -> Parameter {
        guard let state = call.positional.first, let parameter = Parameter(encoded: state) else { throw call.error("TypeError: not a parameter") }
        return parameter
    }

    private static func signature(_ call: Call) throws -> [Parameter] {
        guard let state = call.positional.first else { throw call.error("TypeError: not a signature") }
        return decode(state)
    }

    private static func bound(_ call: Call) throws -> (DictBox, [Parameter]) {
        guard case .dict(let arguments) = try field(call, 0) else { throw call.error("TypeError: not bound arguments") }
        return (arguments, decode(try field(call, 1)))
    }
}
