/// A Python value as the interpreter sees it. Tensors are the engine's; everything else is the small
/// part of Python that loss functions use. There is deliberately no file, process or network value.
indirect enum Value {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case tensor(Tensor)
    case tuple([Value])
    case list(ListBox)
    case dict(DictBox)
    case slice(Value, Value, Value)
    case ellipsis
    case dtype(DType)
    /// A user function or lambda.
    case function(FunctionValue)
    /// A framework or Python built-in, possibly bound to a receiver (a tensor method).
    case builtin(BuiltinValue)
    /// A framework namespace (`tf`, `torch.nn.functional`, `K`), by its full import path.
    case module(String)
    /// A module of the user's own (a sibling file), by its globals.
    case userModule(Scope)
    case userClass(ClassValue)
    case instance(InstanceValue)
    case boundMethod(InstanceValue, FunctionValue)
    /// A `@classmethod` bound to its class.
    case classBoundMethod(ClassValue, FunctionValue)
    /// `super()` inside a method of `after` (`super(after, self)`): attributes are looked up in the
    /// instance's method resolution order past that class.
    case superProxy(InstanceValue, after: ClassValue?)
    /// A name an imported module failed to define: reading it raises that failure (Interpreter.swift,
    /// `defersModuleErrors`).
    case unavailable(InterpreterError)
    /// An exception object (`ValueError("bad")`, what `except ... as e` binds).
    case exception(ExceptionValue)

    /// Python's name for the value's type, for error messages.
    var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .tensor: "Tensor"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .slice: "slice"
        case .ellipsis: "ellipsis"
        case .dtype: "DType"
        case .function, .boundMethod, .classBoundMethod: "function"
        case .builtin: "builtin_function_or_method"
        case .module, .userModule: "module"
        case .userClass: "type"
        case .instance(let i): i.cls.name
        case .superProxy: "super"
        case .unavailable: "unavailable"
        case .exception(let e): e.name
        }
    }

    /// The elements of a tuple or list.
    var sequence: [Value]? {
        switch self {
        case .tuple(let items): items
        case .list(let box): box.items
        default: nil
        }
    }

    /// A Python number as a double.
    var number: Double? {
        switch self {
        case .bool(let b): b ? 1 : 0
        case .int(let i): Double(i)
        case .float(let f): f
        default: nil
        }
    }

    var tensor: Tensor? { if case .tensor(let t) = self { t } else { nil } }
}

/// A mutable Python list (lists are shared by reference, like Python's).
final class ListBox {
    var items: [Value]
    /// The evaluation that made the list (`Interpreter.retain`).
    let epoch = Interpreter.creationEpoch
    init(_ items: [Value]) {
        self.items = items
        Interpreter.arena?.adopt(self)
    }
}

/// The mutable objects made by one evaluation of a loss (or by a file's module code), emptied when it ends.
/// Closures and their scopes reference each other (`def helper` inside a loss: the scope holds the
/// function, the function its scope), and lists can contain themselves: reference counting alone would
/// keep every evaluation's locals, tensors included, for good (4.7 GB for a loss that defines a helper next
/// to a 3M-element tensor). Emptying them breaks the cycles, and it is flat: a 200 000-deep chain of lists
/// is not released by recursion.
final class Arena: @unchecked Sendable {  // used by one evaluation, on one thread, at a time
    private var lists: [ListBox] = []
    private var dicts: [DictBox] = []
    private var instances: [InstanceValue] = []
    private var classes: [ClassValue] = []
    private var scopes: [Scope] = []

    func adopt(_ list: ListBox) { lists.append(list) }
    func adopt(_ dict: DictBox) { dicts.append(dict) }
    func adopt(_ instance: InstanceValue) { instances.append(instance) }
    func adopt(_ cls: ClassValue) { classes.append(cls) }
    func adopt(_ scope: Scope) { scopes.append(scope) }

    /// Empties every object; call it on a large stack (values they held may be deep).
    func clear() {
        for list in lists { list.items = [] }
        for dict in dicts { dict.removeAll() }
        for instance in instances { instance.attributes = [:] }
        for cls in classes { cls.attributes = [:]; cls.enumMembers = nil }
        for scope in scopes { scope.variables = [:] }
        (lists, dicts, instances, classes, scopes) = ([], [], [], [], [])
    }
}

/// A mutable Python dict with string, int or bool keys, in insertion order.
final class DictBox {
    /// The items in insertion order (what iteration and output follow).
    private(set) var entries: [(key: DictKey, value: Value)]
    /// Where each key is in `entries`: a lookup in a loop of 100 000 insertions must not scan them all.
    private var positions: [DictKey: Int] = [:]
    /// The evaluation that made the dict (`Interpreter.retain`).
    let epoch = Interpreter.creationEpoch
    init(_ entries: [(key: DictKey, value: Value)] = []) {
        self.entries = []
        for (key, value) in entries { self[key] = value }
        Interpreter.arena?.adopt(self)
    }

    subscript(key: DictKey) -> Value? {
        get { positions[key].map { entries[$0].value } }
        set {
            if let i = positions[key] {
                if let newValue {
                    entries[i].value = newValue
                } else {
                    entries.remove(at: i)
                    positions[key] = nil
                    for j in i..<entries.count { positions[entries[j].key] = j }
                }
            } else if let newValue {
                positions[key] = entries.count
                entries.append((key, newValue))
            }
        }
    }

    /// Empties the dict (`Arena.clear`).
    func removeAll() {
        entries = []
        positions = [:]
    }
}

/// A hashable dict key.
enum DictKey: Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    /// Framework objects compared by identity in Python: `{torch.uint16: torch.int16}` in library code.
    case dtype(DType)
    case module(String)

    init?(_ value: Value) {
        if let plain = value.mixedInEnumValue {  // `{LossReduction.MEAN: f}` is `{"mean": f}`
            guard let key = DictKey(plain) else { return nil }
            self = key
            return
        }
        switch value {
        case .string(let s): self = .string(s)
        case .int(let i): self = .int(i)
        case .bool(let b): self = .bool(b)
        case .none: self = .none
        case .dtype(let type): self = .dtype(type)
        case .module(let path): self = .module(path)
        case .float(let f) where f == f.rounded() && Swift.abs(f) < 1e15: self = .int(Int(f))
        default: return nil
        }
    }

    var value: Value {
        switch self {
        case .string(let s): .string(s)
        case .int(let i): .int(i)
        case .bool(let b): .bool(b)
        case .none: .none
        case .dtype(let type): .dtype(type)
        case .module(let path): .module(path)
        }
    }
}

/// A user-defined function or lambda, with the scope it closes over.
final class FunctionValue {
    let name: String
    let parameters: Parameters
    let body: Body
    let closure: Scope
    /// Default values, evaluated once when the `def` ran (as in Python).
    let defaults: [String: Value]
    let location: SourcePosition
    let file: String
    /// The class whose body defined this method (for `super()`); weak, as the class holds the function.
    weak var owner: ClassValue?
    /// `@staticmethod`, `@classmethod`, `@property`: how an attribute lookup binds the method.
    var binding: Binding = .instance
    /// `@torch.no_grad()`: whatever the function computes carries no gradient.
    var disablesGradient = false
    /// The function a `@functools.wraps(fn)` wrapper stands for: its signature is the one Python's
    /// `inspect.signature` shows, and discovery reads.
    var wrapped: FunctionValue?
    /// The `@name.setter` of a `@property`: assigning the attribute calls it.
    var setter: FunctionValue?

    /// The function whose parameters and place describe this one: the innermost `wrapped` (at most 16 deep).
    var signature: FunctionValue {
        var function = self
        for _ in 0..<16 { guard let inner = function.wrapped else { break }; function = inner }
        return function
    }

    enum Binding {
        case instance, staticMethod, classMethod, property
    }

    enum Body {
        case statements([Stmt])
        case expression(Expr)
    }

    init(name: String, parameters: Parameters, body: Body, closure: Scope, defaults: [String: Value],
         location: SourcePosition, file: String) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.closure = closure
        self.defaults = defaults
        self.location = location
        self.file = file
    }
}

/// A class defined in the user's file.
final class ClassValue {
    let name: String
    let bases: [Value]
    var attributes: [String: Value]
    let location: SourcePosition
    let definition: ClassDef
    /// The members of an enum class, in definition order (nil: not an enum; Enums.swift).
    var enumMembers: [InstanceValue]?
    /// The evaluation that made the class (`Interpreter.retain`).
    let epoch = Interpreter.creationEpoch

    init(name: String, bases: [Value], attributes: [String: Value], location: SourcePosition, definition: ClassDef) {
        self.name = name
        self.bases = bases
        self.attributes = attributes
        self.location = location
        self.definition = definition
        Interpreter.arena?.adopt(self)
    }

    /// Looks an attribute up along the method resolution order.
    func lookup(_ name: String) -> Value? {
        for cls in mro { if let value = cls.attributes[name] { return value } }
        return nil
    }

    /// Deepest class hierarchy evaluated: real ones are a handful of classes deep; a generated chain of
    /// thousands would make every attribute lookup slow.
    static let maximumHierarchy = 200

    /// The ancestors after this class in the method resolution order, computed once (the bases never change).
    private var ancestors: [ClassValue]?

    /// Python's method resolution order over the user-defined classes (C3 linearisation; framework bases
    /// are left out, they hold nothing the interpreter looks up). Falls back to depth-first order with
    /// duplicates removed when the hierarchy has no C3 order (Python would refuse to create the class).
    var mro: [ClassValue] {
        if let ancestors { return [self] + ancestors }
        let computed = Array(linearization().dropFirst())
        ancestors = computed
        return [self] + computed
    }

    private func linearization() -> [ClassValue] {
        let userBases = bases.compactMap { if case .userClass(let c) = $0 { c } else { nil } }
        if userBases.count <= 1 { return [self] + (userBases.first?.mro ?? []) }  // single inheritance: the base's order
        var sequences: [[ClassValue]] = userBases.map(\.mro) + [userBases]
        var result: [ClassValue] = [self]
        while true {
            sequences = sequences.filter { !$0.isEmpty }
            if sequences.isEmpty { return result }
            guard let head = sequences.lazy.map({ $0[0] }).first(where: { candidate in
                !sequences.contains { $0.dropFirst().contains { $0 === candidate } }
            }) else {
                for sequence in sequences { for cls in sequence where !result.contains(where: { $0 === cls }) { result.append(cls) } }
                return result
            }
            result.append(head)
            sequences = sequences.map { $0[0] === head ? Array($0.dropFirst()) : $0 }
        }
    }

    /// A PyTorch loss class this class derives from (`class BCELoss(nn.BCELoss, base.Loss): pass`), whose
    /// instance computes what the class's own code does not: built by `__init__`, called by `forward`.
    var frameworkLossBase: BuiltinValue? {
        for base in bases {
            switch base {
            case .builtin(let b) where BuiltinRegistry.isTorchLossClass(b.name): return b
            case .userClass(let cls): if let b = cls.frameworkLossBase { return b }
            default: continue
            }
        }
        return nil
    }

    /// The instance attribute holding the framework loss object of a `frameworkLossBase` class: not a name
    /// Python code can write.
    static let frameworkLossAttribute = "<framework loss>"

    /// The framework base this class derives from (`torch.nn.Module`, `keras.losses.Loss`), if any.
    var frameworkBase: String? {
        for base in bases {
            switch base {
            case .module(let path): return path
            case .builtin(let b): return b.name
            case .userClass(let cls): if let path = cls.frameworkBase { return path }
            default: continue
            }
        }
        return nil
    }
}

/// An instance of a user class.
final class InstanceValue {
    let cls: ClassValue
    var attributes: [String: Value] = [:]
    /// The evaluation that made the instance (`Interpreter.retain`).
    let epoch = Interpreter.creationEpoch
    init(cls: ClassValue) {
        self.cls = cls
        Interpreter.arena?.adopt(self)
    }
}

/// A framework or Python built-in function, possibly bound to a receiver.
struct BuiltinValue {
    /// The canonical API name (`K.sum`, `torch.sigmoid`, `Tensor.view`).
    let name: String
    let function: BuiltinFunction
    /// The object a method was looked up on (`t` in `t.sum()`), or the hyper-parameters a loss class was built with.
    var receiver: Value?
    /// Keyword arguments captured when a framework loss class was constructed (`nn.BCELoss(reduction="sum")`).
    var captured: [(String, Value)] = []
    /// Whether this is a constructed framework module (`nn.CrossEntropyLoss()`), whose `forward` is the call itself.
    var isModule = false
}

extension BuiltinValue {
    /// An object a built-in makes (a regex match, a signature): its type names its methods in
    /// `BuiltinRegistry.methods`, its state travels as the receiver, and calling it is Python's TypeError.
    static func object(_ type: String, state: Value) -> Value {
        .builtin(BuiltinValue(name: type, function: { call in throw call.error("TypeError: '\(type)' object is not callable") }, receiver: state))
    }
}
