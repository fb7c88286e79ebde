#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The standard-library helpers and built-ins loss files use around their maths: `functools.partial`,
/// `typing.cast`, `set`, `type`, exception classes, `warnings`, `torch.autograd.Variable`.
extension PythonBuiltins {
    static let library: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [
            "functools.partial": { call in
                guard let function = call.positional.first else { throw call.error("TypeError: partial() needs a callable") }
                // The bound function and arguments travel as the receiver; the keywords as `captured`.
                return .builtin(BuiltinValue(name: "functools.partial", function: callPartial,
                                             receiver: .tuple([function] + call.positional.dropFirst()),
                                             captured: call.keywords.map { ($0.name, $0.value) }))
            },
            "functools.wraps": { outer in
                // `@functools.wraps(fn)` copies names and docstrings and sets `__wrapped__`: the wrapper is
                // what runs, with fn's signature (what discovery reads, as inspect.signature does). fn travels
                // as the receiver, so it arrives first.
                .builtin(BuiltinValue(name: "functools.wraps", function: { call in
                    guard let wrapper = call.positional.last, call.positional.count == 2 else { throw call.error("TypeError: wraps() needs a function") }
                    if case .function(let function) = wrapper, case .function(let inner) = call.positional[0], inner !== function {
                        function.wrapped = inner
                    }
                    return wrapper
                }, receiver: outer.positional.first ?? .none))
            },
            "functools.reduce": { call in
                let args = try call.bind("function, iterable, initial=None")
                var items = try call.interpreter.iterate(args["iterable"], at: call.site)[...]
                var total: Value
                if call.positional.count > 2 { total = args["initial"] } else {
                    guard let first = items.popFirst() else { throw call.error("TypeError: reduce() of empty iterable with no initial value") }
                    total = first
                }
                for item in items { total = try call.interpreter.call(args["function"], [total, item], [], site: call.site) }
                return total
            },
            "typing.cast": { call in try call.bind("typ, val")["val"] },
            // MONAI's MaskedLoss accepts a loss class or instance and builds the class.
            "inspect.isclass": { call in
                if case .userClass = try call.bind("object")["object"] { return .bool(true) }
                return .bool(false)
            },
            // A type variable of library annotations: it names types only.
            "typing.TypeVar": { _ in .module("typing.TypeVar") },
            // The interpreter never reads the environment: every variable is unset, so the default is the value.
            "os.getenv": { call in try call.bind("key, default=None")["default"] },
            "os.environ.get": { call in try call.bind("key, default=None")["default"] },
            // Eager PyTorch: never inside TorchScript.
            "torch.jit.is_scripting": { _ in .bool(false) },
            "torch.jit.is_tracing": { _ in .bool(false) },
            // The probes run eagerly: nothing is being compiled, exported or traced.
            "torch.compiler.is_compiling": { _ in .bool(false) },
            "torch.compiler.is_exporting": { _ in .bool(false) },
            "torch.compiler.is_dynamo_compiling": { _ in .bool(false) },
            "torch._dynamo.is_compiling": { _ in .bool(false) },
            "torch.onnx.is_in_onnx_export": { _ in .bool(false) },
            "torch._C._are_functorch_transforms_active": { _ in .bool(false) },
            "torch.is_autocast_enabled": { _ in .bool(false) },
            // `Variable(t)` has been the tensor itself since PyTorch 0.4.
            "torch.autograd.Variable": { call in try call.bind("data, requires_grad=False, volatile=False")["data"] },
            "torch.autograd.variable.Variable": { call in try call.bind("data, requires_grad=False, volatile=False")["data"] },
            "warnings.warn": { _ in .none },
            "warnings.simplefilter": { _ in .none },
            "warnings.filterwarnings": { _ in .none },
            "builtins.set": { call in
                .list(ListBox(try unique(call.positional.first.map { try call.interpreter.iterate($0, at: call.site) } ?? [], call)))
            },
            "builtins.type": { call in
                let object = try call.bind("object")["object"]
                switch object {
                case .instance(let instance): return .userClass(instance.cls)
                case .tensor: return .module(call.interpreter.tensorsAreImmutable ? "tensorflow.Tensor" : "torch.Tensor")
                case .int, .float, .bool, .string, .list, .tuple, .dict, .none, .exception:
                    return BuiltinRegistry.pythonBuiltin(object.typeName) ?? .string(object.typeName)
                default: return .string(object.typeName)
                }
            },
            "builtins.callable": { call in
                switch try call.bind("obj")["obj"] {
                case .function, .builtin, .boundMethod, .classBoundMethod, .userClass: return .bool(true)
                case .instance(let instance): return .bool(instance.cls.lookup("__call__") != nil || instance.cls.lookup("forward") != nil)
                default: return .bool(false)
                }
            },
            "builtins.any": { call in
                for item in try call.interpreter.iterate(call.bind("iterable")["iterable"], at: call.site) where try call.interpreter.truthy(item, at: call.site) { return .bool(true) }
                return .bool(false)
            },
            "builtins.all": { call in
                for item in try call.interpreter.iterate(call.bind("iterable")["iterable"], at: call.site) where try !call.interpreter.truthy(item, at: call.site) { return .bool(false) }
                return .bool(true)
            },
            "builtins.repr": { call in .string(call.interpreter.repr(try call.bind("obj")["obj"])) },
            "builtins.format": { call in
                let args = try call.bind("value, format_spec=''")
                return .string(try call.interpreter.format(args["value"], spec: try args.string("format_spec") ?? "", at: call.site))
            },
            // MONAI's `_version.py` reads its version from a JSON literal (what its deprecation decorators compare).
            "json.loads": { call in
                let text = try call.bind("s")["s"]
                guard case .string(let json) = text else { throw call.error("TypeError: the JSON object must be str, not \(text.typeName)") }
                guard let parsed = try? JSONDecoder().decode(JSONLiteral.self, from: Data(json.utf8)) else {
                    throw call.error("json.decoder.JSONDecodeError: the text is not JSON LossDoctor reads")
                }
                return parsed.value
            },
            // Imports by name (MONAI's `optional_import`): a module LossDoctor models is found, any other is
            // missing, so that library code takes the path it takes without the optional package (no `cupy`).
            "builtins.__import__": { call in
                let name = try importedModule(call, "name, globals=None, locals=None, fromlist=(), level=0")
                return .module(String(name.split(separator: ".").first ?? ""))
            },
            "importlib.import_module": { call in .module(try importedModule(call, "name, package=None")) },
            // MONAI's `optional_import` keeps the failed import's traceback for its lazy error: no frames are modelled,
            // so the text is the exception's last line, as Python ends it.
            "traceback.format_exception": { call in
                guard case .exception(let exception)? = call.positional.count > 1 ? call.positional[1] : call.positional.first else {
                    throw call.error("TypeError: format_exception() takes an exception")
                }
                let text = call.interpreter.display(.exception(exception))
                return .list(ListBox([.string(exception.name + (text.isEmpty ? "" : ": " + text) + "\n")]))
            },
        ]
        table["builtins.frozenset"] = table["builtins.set"]
        for name in ["ImportError", "ModuleNotFoundError", "KeyError", "IndexError", "ZeroDivisionError", "AttributeError",
                     "ArithmeticError", "LookupError", "OverflowError", "FloatingPointError", "NameError", "RecursionError",
                     "StopIteration", "BaseException", "Warning", "UserWarning", "RuntimeWarning", "DeprecationWarning", "FutureWarning",
                     "PendingDeprecationWarning"] {
            table["builtins." + name] = exception(name)
        }
        return table
    }()

    /// The module an import by name asks for, if LossDoctor models it; else Python's ModuleNotFoundError.
    private static func importedModule(_ call: Call, _ signature: String) throws -> String {
        guard let name = try call.bind(signature).string("name") else { throw call.error("TypeError: the module name must be str") }
        guard BuiltinRegistry.models(module: name) else { throw call.error("ModuleNotFoundError: No module named '\(name)'") }
        return name
    }

    /// Calls the function a `functools.partial` bound, with its arguments first and the call's keywords winning.
    private static let callPartial: BuiltinFunction = { call in
        guard case .tuple(let bound)? = call.positional.first, let function = bound.first else { throw call.error("TypeError: bad partial") }
        var keywords = call.captured.map { (name: $0.0, value: $0.1) }
        for keyword in call.keywords {
            keywords.removeAll { $0.name == keyword.name }
            keywords.append(keyword)
        }
        return try call.interpreter.call(function, Array(bound.dropFirst()) + call.positional.dropFirst(), keywords, site: call.site)
    }

    /// The items without repeats, in first-seen order (LossDoctor's sets are ordered lists).
    private static func unique(_ items: [Value], _ call: Call) throws -> [Value] {
        var kept: [Value] = []
        for item in items where try !kept.contains(where: { try call.interpreter.equal($0, item, at: call.site) }) {
            try call.interpreter.step(at: call.site, count: kept.count)
            kept.append(item)
        }
        return kept
    }
}

/// A JSON document as Python's `json.loads` returns it: dicts (keys in sorted order: Foundation's decoder does
/// not keep the text's), lists, str, int, float, bool, None.
private struct JSONLiteral: Decodable {
    let value: Value

    init(from decoder: Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            let items = try container.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
                (key: DictKey.string($0.stringValue), value: try container.decode(JSONLiteral.self, forKey: $0).value)
            }
            value = .dict(DictBox(items))
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var items: [Value] = []
            while !container.isAtEnd { items.append(try container.decode(JSONLiteral.self).value) }
            value = .list(ListBox(items))
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { value = .none }
        else if let flag = try? single.decode(Bool.self) { value = .bool(flag) }
        else if let integer = try? single.decode(Int.self) { value = .int(integer) }
        else if let number = try? single.decode(Double.self) { value = .float(number) }
        else { value = .string(try single.decode(String.self)) }
    }

    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
