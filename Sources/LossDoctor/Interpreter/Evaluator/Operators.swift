#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Python operators over values: tensor maths when a tensor is involved, Python's own rules otherwise.
extension Interpreter {
    func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at here: SourceSite) throws -> Value {
        // A class's own operator (`__add__`, or the right operand's `__radd__`): segmentation-models builds
        // `bce_dice_loss = bce + dice` from its loss objects.
        if case .instance(let left) = a, let method = left.cls.lookup("__\(op.methodStem)__") {
            return try call(bind(method, to: left, at: here), [b], [], site: here)
        }
        if case .instance(let right) = b, let method = right.cls.lookup("__r\(op.methodStem)__") {
            return try call(bind(method, to: right, at: here), [a], [], site: here)
        }
        if a.tensor != nil || b.tensor != nil {
            let x = try tensor(a, site: here), y = try tensor(b, site: here)
            return .tensor(try engine(here) {
                switch op {
                case .add: try x + y
                case .subtract: try x - y
                case .multiply: try x * y
                case .divide: try x / y
                case .floorDivide: try x.floorDivided(by: y)
                case .modulo: try x % y
                case .power: try x.pow(y)
                case .bitwiseAnd: try (x * y).cast(.bool)
                case .bitwiseOr: try Tensor.maximum(x, y).cast(.bool)
                case .matrixMultiply, .leftShift, .rightShift, .bitwiseXor:
                    throw EngineError.invalidArgument("the operator `\(op.rawValue)` on tensors is not supported")
                }
            })
        }
        if case .int(let x) = a, case .int(let y) = b { return try integerArithmetic(op, x, y, at: here) }
        if let x = a.number, let y = b.number, !(a.isText || b.isText) {
            switch op {
            case .add: return .float(x + y)
            case .subtract: return .float(x - y)
            case .multiply: return .float(x * y)
            case .divide:
                guard y != 0 else { throw zeroDivision(here) }
                return .float(x / y)
            case .floorDivide:
                guard y != 0 else { throw zeroDivision(here) }
                return .float((x / y).rounded(.down))
            case .modulo:
                guard y != 0 else { throw zeroDivision(here) }
                return .float(x - (x / y).rounded(.down) * y)
            case .power: return .float(pow(x, y))
            default: break
            }
        }
        // New sequences are charged to the evaluation's memory budget before they are built: doubling a
        // list or a string in a loop must end with LD903, not with the machine's memory.
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)):
            try allocate(bytes: x.utf8.count + y.utf8.count, at: here)
            return .string(x + y)
        case (.add, .tuple(let x), .tuple(let y)):
            try allocate(items: x.count + y.count, at: here)
            return .tuple(x + y)
        case (.add, .list(let x), .list(let y)):
            try allocate(items: x.items.count + y.items.count, at: here)
            return .list(ListBox(x.items + y.items))
        case (.multiply, .list(let x), .int(let n)), (.multiply, .int(let n), .list(let x)):
            return .list(ListBox(try repeated(x.items, n, at: here)))
        case (.multiply, .tuple(let x), .int(let n)), (.multiply, .int(let n), .tuple(let x)):
            return .tuple(try repeated(x, n, at: here))
        case (.multiply, .string(let x), .int(let n)), (.multiply, .int(let n), .string(let x)):
            let count = Swift.max(n, 0)
            let (total, overflow) = x.utf8.count.multipliedReportingOverflow(by: count)
            try allocate(bytes: overflow ? Int.max - 4 : total, at: here)  // `"ab" * 10**9` ends with LD903
            return .string(String(repeating: x, count: count))
        case (.modulo, .string(let format), _):
            return .string(try percentFormat(format, b, at: here))
        default:
            throw InterpreterError(.pythonError, "TypeError: unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'", at: here)
        }
    }

    /// `items * n`, charged to the memory budget first.
    private func repeated(_ items: [Value], _ n: Int, at here: SourceSite) throws -> [Value] {
        let count = Swift.max(n, 0)
        let (total, overflow) = items.count.multipliedReportingOverflow(by: count)
        try allocate(items: overflow ? Int.max : total, at: here)
        try work(items: total, at: here)
        return Array(repeating: items, count: count).flatMap { $0 }
    }

    private func zeroDivision(_ here: SourceSite) -> InterpreterError {
        InterpreterError(.pythonError, "ZeroDivisionError: division by zero", at: here)
    }

    private func integerArithmetic(_ op: BinaryOperator, _ x: Int, _ y: Int, at here: SourceSite) throws -> Value {
        func checked(_ result: (partialValue: Int, overflow: Bool), _ fallback: Double) -> Value {
            result.overflow ? .float(fallback) : .int(result.partialValue)
        }
        switch op {
        case .add: return checked(x.addingReportingOverflow(y), Double(x) + Double(y))
        case .subtract: return checked(x.subtractingReportingOverflow(y), Double(x) - Double(y))
        case .multiply: return checked(x.multipliedReportingOverflow(by: y), Double(x) * Double(y))
        case .divide:
            guard y != 0 else { throw zeroDivision(here) }
            return .float(Double(x) / Double(y))
        case .floorDivide:
            guard y != 0 else { throw zeroDivision(here) }
            // Exact integer division rounded toward negative infinity; only Int.min // -1 overflows.
            let (q, overflow) = x.dividedReportingOverflow(by: y)
            if overflow { return .float(-Double(x)) }
            return .int(q * y != x && (x < 0) != (y < 0) ? q - 1 : q)
        case .modulo:
            guard y != 0 else { throw zeroDivision(here) }
            let r = x.remainderReportingOverflow(dividingBy: y).partialValue  // Int.min % -1 is 0
            return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        case .power:
            if y < 0 { return .float(pow(Double(x), Double(y))) }
            let result = pow(Double(x), Double(y))
            return Swift.abs(result) < 9e15 ? .int(Int(result)) : .float(result)
        case .bitwiseAnd: return .int(x & y)
        case .bitwiseOr: return .int(x | y)
        case .bitwiseXor: return .int(x ^ y)
        case .leftShift: return .int(y < 63 && y >= 0 ? x << y : 0)
        case .rightShift: return .int(y >= 0 ? x >> Swift.min(y, 63) : 0)
        case .matrixMultiply:
            throw InterpreterError(.pythonError, "TypeError: unsupported operand type(s) for @: 'int' and 'int'", at: here)
        }
    }

    func unary(_ op: UnaryOperator, _ value: Value, at here: SourceSite) throws -> Value {
        switch (op, value) {
        case (.not, _): return .bool(try !truthy(value, at: here))
        case (.negate, .tensor(let t)): return .tensor(try engine(here) { try -t })
        case (.plus, .tensor): return value
        case (.invert, .tensor(let t)): return .tensor(try engine(here) { try (1 - t.cast(.bool).cast(.float32)).cast(.bool) })
        case (.negate, .int(let i)): return i == Int.min ? .float(-Double(i)) : .int(-i)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .float(let f)): return .float(-f)
        case (.plus, .int), (.plus, .float): return value
        case (.invert, .int(let i)): return .int(~i)
        default:
            throw InterpreterError(.pythonError, "TypeError: bad operand type for unary \(op.rawValue): '\(value.typeName)'", at: here)
        }
    }

    func compare(_ op: ComparisonOperator, _ a: Value, _ b: Value, at here: SourceSite) throws -> Value {
        if op == .equal || op == .notEqual, let t = a.tensor ?? b.tensor, a.isNone || b.isNone {
            // `t != None` is the Python bool True (`==` False) in PyTorch 2.15 and TensorFlow 2.21 eager, so that
            // `(t >= 0) & (t != ignore)` with `ignore=None` is `t >= 0` (Berman's Lovasz losses); NumPy 2.4.6
            // compares elementwise: an array of True.
            let different = op == .notEqual
            if importsModule(["numpy", "np"]), !importsModule(["torch", "tensorflow", "tf", "keras"]) {
                return .tensor(Tensor(shape: t.shape, scalars: [Float](repeating: different ? 1 : 0, count: t.count), dtype: .bool))
            }
            return .bool(different)
        }
        if a.tensor != nil || b.tensor != nil, let kind = Comparison(op) {
            let x = try tensor(a, site: here), y = try tensor(b, site: here)
            return .tensor(try engine(here) { try x.compare(kind, y) })
        }
        switch op {
        case .in, .notIn:
            let found: Bool
            switch b {
            case .dict(let box): found = DictKey(a).map { box[$0] != nil } ?? false
            case .string(let s):
                if case .string(let sub) = a {
                    try scan(s, sub, at: here)
                    found = Self.contains(s, sub)
                } else {
                    found = false
                }
            default: found = try iterate(b, at: here).contains { try equal($0, a, at: here) }
            }
            return .bool(op == .in ? found : !found)
        case .is, .isNot:
            let same: Bool
            switch (a, b) {
            case (.none, .none): same = true
            case (.bool(let x), .bool(let y)): same = x == y
            case (.instance(let x), .instance(let y)): same = x === y
            case (.userClass(let x), .userClass(let y)): same = x === y
            case (.function(let x), .function(let y)): same = x === y
            case (.builtin(let x), .builtin(let y)): same = x.name == y.name && x.receiver == nil && y.receiver == nil
            case (.module(let x), .module(let y)): same = x == y
            case (.dtype(let x), .dtype(let y)): same = x == y
            default: same = false
            }
            return .bool(op == .is ? same : !same)
        case .equal: return .bool(try equal(a, b, at: here))
        case .notEqual: return .bool(try !equal(a, b, at: here))
        case .less, .lessEqual, .greater, .greaterEqual:
            if let x = a.number, let y = b.number, !a.isText, !b.isText {
                return .bool(op == .less ? x < y : op == .lessEqual ? x <= y : op == .greater ? x > y : x >= y)
            }
            if case .string(let x) = a, case .string(let y) = b {
                return .bool(op == .less ? x < y : op == .lessEqual ? x <= y : op == .greater ? x > y : x >= y)
            }
            // Tuples and lists compare item by item, the first unequal pair deciding (`version >= (2, 1)`).
            var items: ([Value], [Value])?
            if case .tuple(let x) = a, case .tuple(let y) = b { items = (x, y) }
            if case .list(let x) = a, case .list(let y) = b { items = (x.items, y.items) }
            if let (x, y) = items {
                for (p, q) in zip(x, y) where try !equal(p, q, at: here) { return try compare(op, p, q, at: here) }
                return .bool(op == .less ? x.count < y.count : op == .lessEqual ? x.count <= y.count
                             : op == .greater ? x.count > y.count : x.count >= y.count)
            }
            throw InterpreterError(.pythonError, "TypeError: '\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'", at: here)
        }
    }

    /// Python equality of non-tensor values. Comparing sequences costs a step per item, and nesting deeper
    /// than the call-depth limit is a RecursionError, so that self-containing or exponentially shared lists
    /// end with LD903.
    func equal(_ a: Value, _ b: Value, at here: SourceSite, depth: Int = 0) throws -> Bool {
        if case .list(let x) = a, case .list(let y) = b, x === y { return true }
        guard depth <= limits.callDepth else {
            throw InterpreterError(.limit, "RecursionError: maximum recursion depth exceeded in comparison", at: here)
        }
        // A member of a `(str, Enum)` equals its value.
        if a.mixedInEnumValue != nil || b.mixedInEnumValue != nil {
            return try equal(a.mixedInEnumValue ?? a, b.mixedInEnumValue ?? b, at: here, depth: depth + 1)
        }
        switch (a, b) {
        case (.none, .none): return true
        case (.instance(let x), .instance(let y)): return x === y
        case (.string(let x), .string(let y)): return x == y
        case (.dtype(let x), .dtype(let y)): return x == y
        case (.userClass(let x), .userClass(let y)): return x === y
        case (.builtin(let x), .builtin(let y)): return x.name == y.name && x.receiver == nil && y.receiver == nil
        case (.module(let x), .module(let y)): return x == y
        case (.dtype(let x), .string(let y)), (.string(let y), .dtype(let x)): return DType(pythonName: y) == x
        case (.tuple, _), (.list, _):
            guard let x = a.sequence, let y = b.sequence, x.count == y.count else { return false }
            try step(at: here, count: x.count)
            return try zip(x, y).allSatisfy { try equal($0, $1, at: here, depth: depth + 1) }
        default:
            if let x = pythonNumber(a), let y = pythonNumber(b) { return x == y }
            return false
        }
    }

    /// What Python's `<` and `==` take as a number: a Python number, or a one-element array or tensor that no
    /// prediction flows into (a NumPy scalar: iterating `np.unique(axes)` yields them, and `sorted` orders them,
    /// NumPy 2.4.6). Not in a TensorFlow-only file: its graph mode refuses a tensor as a Python bool (LD604).
    func pythonNumber(_ value: Value) -> Double? {
        guard case .tensor(let t) = value else { return value.number }
        guard t.count == 1, !t.dependsOnVariable, !tensorsAreImmutable else { return nil }
        return Double(t.scalars[0])
    }

    /// Whether the file imports a module whose path starts with one of `roots` (`torch`, `torch.nn`, ...).
    func importsModule(_ roots: [String]) -> Bool {
        globals.variables.values.contains { value in
            guard case .module(let path) = value else { return false }
            return roots.contains { path == $0 || path.hasPrefix($0 + ".") }
        }
    }

    /// Python truthiness. A tensor here is LD604 tensor-truthiness: TensorFlow's graph mode refuses it and
    /// PyTorch calls a multi-element one ambiguous; LossDoctor records it and goes on with "all non-zero".
    func truthy(_ value: Value, at here: SourceSite) throws -> Bool {
        switch value {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let f): return f != 0
        case .string(let s): return !s.isEmpty
        case .tuple(let items): return !items.isEmpty
        case .list(let box): return !box.items.isEmpty
        case .dict(let box): return !box.entries.isEmpty
        case .tensor(let t):
            // Eager PyTorch and NumPy evaluate `if t.any():` on one element; TensorFlow/Keras graph mode refuses any tensor.
            notice(.tensorAsBool(shape: t.shape, eager: !importsModule(["tensorflow", "keras", "tf"]) && importsModule(["torch", "numpy", "np"])),
                   at: here)
            return t.scalars.allSatisfy { $0 != 0 }
        default: return true
        }
    }

    /// The items of an iterable: sequences, dict keys, strings, a tensor's first axis.
    /// `sub in s` by code points, as Python compares: a search of UTF-8 bytes (the same thing for valid
    /// UTF-8), Knuth-Morris-Pratt so that it is linear (a naive search of 8,000 bytes in 16 MB took minutes).
    static func contains(_ s: String, _ sub: String) -> Bool {
        let needle = Array(sub.utf8)
        guard !needle.isEmpty else { return true }
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in 1..<needle.count {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        var matched = 0
        for byte in s.utf8 {
            while matched > 0 && byte != needle[matched] { matched = failure[matched - 1] }
            if byte == needle[matched] { matched += 1 }
            if matched == needle.count { return true }
        }
        return false
    }

    func iterate(_ value: Value, at here: SourceSite) throws -> [Value] {
        // Every builtin that walks a sequence (sorted, zip, sum, max, list, `in`) walks it through here.
        if case .string(let text) = value { try work(items: text.utf8.count, at: here) } else { try work(items: value.sequence?.count ?? 0, at: here) }
        switch value {
        case .tuple(let items): return items
        case .list(let box): return box.items
        case .dict(let box): return box.entries.map { $0.key.value }
        case .string(let s): return s.map { .string(String($0)) }
        case .userClass(let cls) where cls.enumMembers != nil: return cls.enumMembers!.map { .instance($0) }
        case .tensor(let t):
            guard let first = t.shape.first else {
                throw InterpreterError(.pythonError, "TypeError: iteration over a 0-d tensor", at: here)
            }
            return try (0..<first).map { try index(value, .int($0), at: here) }
        default:
            throw InterpreterError(.pythonError, "TypeError: '\(value.typeName)' object is not iterable", at: here)
        }
    }

    /// `str(value)`, for messages. Nested sequences are cut after `displayLimit` items in all and below
    /// `displayDepth` levels (`[...]`, as Python shows a list that contains itself), and strings inside them
    /// after `displayText` bytes in all, so that printing a self-containing, exponentially shared or
    /// string-doubling list ends small.
    func display(_ value: Value) -> String {
        var budget = Self.displayLimit
        var text = Self.displayText
        return display(value, depth: 0, budget: &budget, text: &text)
    }

    static let displayLimit = 1000
    static let builtinTypes: Set<String> = ["int", "float", "bool", "str", "list", "tuple", "dict", "set", "type", "object"]
    static let displayDepth = 16
    static let displayText = 100_000

    private func display(_ value: Value, depth: Int, budget: inout Int, text: inout Int) -> String {
        func items(_ values: [Value]) -> String {
            guard depth < Self.displayDepth else { return "..." }
            var parts: [String] = []
            for item in values {
                guard budget > 0, text > 0 else { parts.append("..."); break }
                budget -= 1
                parts.append(display(item, depth: depth + 1, budget: &budget, text: &text))
            }
            return parts.joined(separator: ", ")
        }
        switch value {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let f): return formatNumber(f, significant: 6)
        case .string(let s) where depth > 0:
            // Inside a container a string shows as its repr, as `str([...])` does in Python.
            defer { text -= s.utf8.count }
            return "'" + (s.utf8.count <= text ? s : String(decoding: s.utf8.prefix(Swift.max(text, 0)), as: UTF8.self) + "...") + "'"
        case .string(let s): return s
        case .tensor(let t): return "Tensor(shape=\(Tensor.describe(t.shape)))"
        case .tuple(let values): return "(" + items(values) + (values.count == 1 ? ",)" : ")")
        case .list(let box): return "[" + items(box.items) + "]"
        case .dict(let box):
            // `{'a': 1}`: each key and value as inside any container, the pair counted once against the budget.
            guard depth < Self.displayDepth else { return "{...}" }
            var parts: [String] = []
            for (key, item) in box.entries {
                guard budget > 0, text > 0 else { parts.append("..."); break }
                budget -= 1
                parts.append(display(key.value, depth: depth + 1, budget: &budget, text: &text) + ": "
                             + display(item, depth: depth + 1, budget: &budget, text: &text))
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .instance(let i) where i.cls.enumMembers != nil:
            // `str()` of a member is `Cls.NAME`; MONAI-style `(str, Enum)` classes define `__str__` as the value.
            if i.cls.membersEqualTheirValues, i.cls.lookup("__str__") != nil, let value = i.attributes["_value_"] {
                return display(value, depth: depth, budget: &budget, text: &text)
            }
            return value.enumMemberName ?? "<\(i.cls.name) object>"
        case .instance(let i): return "<\(i.cls.name) object>"
        // `str(e)`: its one argument, or the tuple of them; inside a container its repr, `ValueError('bad')`.
        case .exception(let e) where depth > 0: return e.name + "(" + items(e.arguments) + ")"
        case .exception(let e) where e.arguments.count == 1: return display(e.arguments[0], depth: depth, budget: &budget, text: &text)
        case .exception(let e): return e.arguments.isEmpty ? "" : "(" + items(e.arguments) + ")"
        case .builtin(let b):
            // Python's own spelling: `<class 'int'>` for a type, `<built-in function len>` for a function.
            let name = b.name.hasPrefix("builtins.") ? String(b.name.dropFirst("builtins.".count)) : b.name
            let isClass = Self.builtinTypes.contains(name) || Self.exceptionParents[name] != nil || name == "BaseException"
            return isClass ? "<class '\(name)'>" : "<built-in function \(name)>"
        case .module(let name):
            // Framework namespaces and framework classes (`torch.Tensor`, what `type(t)` gives) share this case.
            let last = name.split(separator: ".").last ?? ""
            return last.first?.isUppercase == true ? "<class '\(name)'>" : "<module '\(name)'>"
        case .userClass(let cls): return "<class '\(cls.name)'>"
        case .function(let f): return "<function \(f.name)>"
        default: return value.typeName
        }
    }
}

extension Value {
    var isText: Bool { if case .string = self { true } else { false } }
    var isNone: Bool { if case .none = self { true } else { false } }
}

extension Comparison {
    /// The engine comparison for a Python comparison operator (nil for `in`, `is`).
    init?(_ op: ComparisonOperator) {
        switch op {
        case .less: self = .less
        case .lessEqual: self = .lessEqual
        case .greater: self = .greater
        case .greaterEqual: self = .greaterEqual
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .in, .notIn, .is, .isNot: return nil
        }
    }
}

extension BinaryOperator {
    /// The name Python's data model gives the operator's method, without underscores (`add` for `__add__`).
    var methodStem: String {
        switch self {
        case .add: "add"
        case .subtract: "sub"
        case .multiply: "mul"
        case .divide: "truediv"
        case .floorDivide: "floordiv"
        case .modulo: "mod"
        case .power: "pow"
        case .matrixMultiply: "matmul"
        case .leftShift: "lshift"
        case .rightShift: "rshift"
        case .bitwiseAnd: "and"
        case .bitwiseOr: "or"
        case .bitwiseXor: "xor"
        }
    }
}
