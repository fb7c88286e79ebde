#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Python's built-in functions and the methods of lists, dicts and strings that loss code uses,
/// plus the `math` module. Nothing here reads files, spawns processes or touches the network.
enum PythonBuiltins {
    static let functions: [String: BuiltinFunction] = core.merging(library) { first, _ in first }

    private static let core: [String: BuiltinFunction] = [
        "builtins.len": { call in
            let x = try call.bind("obj")["obj"]
            if case .tensor(let t) = x {
                guard let first = t.shape.first else { throw call.error("TypeError: len() of a 0-d tensor") }
                return .int(first)
            }
            if case .dict(let box) = x { return .int(box.entries.count) }
            return .int(try call.interpreter.iterate(x, at: call.site).count)
        },
        "builtins.range": { call in
            let numbers = try call.positional.map { value -> Int in
                guard let i = try call.interpreter.integer(value) else { throw call.error("TypeError: '\(value.typeName)' object cannot be interpreted as an integer") }
                return i
            }
            let (start, stop, step) = numbers.count == 1 ? (0, numbers[0], 1) : numbers.count == 2 ? (numbers[0], numbers[1], 1)
                : numbers.count == 3 ? (numbers[0], numbers[1], numbers[2]) : (0, 0, 0)
            guard step != 0, (1...3).contains(numbers.count) else { throw call.error("TypeError: range() takes 1 to 3 integer arguments, with a non-zero step") }
            // The count in doubles (the distance between two ints can overflow Int), to check the limit before
            // anything is built; the items in checked integers.
            let estimate = ((Double(stop) - Double(start)) / Double(step)).rounded(.up)
            guard estimate <= Double(call.interpreter.limits.steps) else {
                throw InterpreterError(.limit, "range() of \(formatNumber(estimate)) items exceeds the step limit of \(call.interpreter.limits.steps)", at: call.site,
                                       hint: "raise the limit with --max-steps")
            }
            try call.interpreter.allocate(items: Swift.max(Int(estimate), 0), at: call.site)
            var items: [Value] = []
            var value = start
            while step > 0 ? value < stop : value > stop {
                items.append(.int(value))
                let (next, overflow) = value.addingReportingOverflow(step)
                if overflow { break }
                value = next
            }
            return .list(ListBox(items))
        },
        "builtins.float": { call in
            let x = try call.bind("x=0.0")["x"]
            switch x {
            case .tensor(let t): return try Common.scalarConversion(t, api: "float()", call: call)
            case .string(let s):
                guard let d = Double(s.trimmingCharacters()) ?? (s.lowercased() == "inf" ? .infinity : s.lowercased() == "nan" ? .nan : nil) else {
                    throw call.error("ValueError: could not convert string to float: '\(s)'")
                }
                return .float(d)
            default:
                guard let n = x.number else { throw call.error("TypeError: float() argument must be a string or a real number, not '\(x.typeName)'") }
                return .float(n)
            }
        },
        "builtins.int": { call in
            let x = try call.bind("x=0")["x"]
            switch x {
            case .tensor(let t):
                let converted = try Common.scalarConversion(t, api: "int()", call: call)
                if case .tensor(let value) = converted { return .tensor(try value.cast(.int64)) }
                return converted
            case .string(let s):
                guard let i = Int(s.trimmingCharacters()) else { throw call.error("ValueError: invalid literal for int(): '\(s)'") }
                return .int(i)
            default:
                guard let n = x.number else { throw call.error("TypeError: int() argument must be a number, not '\(x.typeName)'") }
                return .int(try integer(n.rounded(.towardZero), call))
            }
        },
        "builtins.bool": { call in .bool(try call.interpreter.truthy(call.bind("x=False")["x"], at: call.site)) },
        "builtins.str": { call in
            let text = call.interpreter.display(try call.bind("x=''")["x"])
            try call.interpreter.allocate(bytes: text.utf8.count, at: call.site)  // `s = str([s, s])` in a loop doubles
            return .string(text)
        },
        "builtins.abs": { call in
            let x = try call.bind("x")["x"]
            switch x {
            case .int(let i): return i == Int.min ? .float(-Double(i)) : .int(Swift.abs(i))
            case .tensor(let t): return .tensor(try t.abs())
            default:
                guard let n = x.number else { throw call.error("TypeError: bad operand type for abs(): '\(x.typeName)'") }
                return .float(Swift.abs(n))
            }
        },
        "builtins.min": { call in try extremum(call, smallest: true) },
        "builtins.max": { call in try extremum(call, smallest: false) },
        "builtins.sum": { call in
            let args = try call.bind("iterable, start=0")
            var total = args["start"]
            for item in try call.interpreter.iterate(args["iterable"], at: call.site) {
                total = try call.interpreter.binary(.add, total, item, at: call.site)
            }
            return total
        },
        "builtins.round": { call in
            let args = try call.bind("number, ndigits=None")
            if case .tensor(let t) = args["number"] { return .tensor(try t.rounded()) }
            guard let n = args["number"].number else { throw call.error("TypeError: round() needs a number") }
            if args.isNone("ndigits") { return .int(try integer(n.rounded(.toNearestOrEven), call)) }
            let scale = pow(10, Double(try args.int("ndigits")))
            return .float((n * scale).rounded(.toNearestOrEven) / scale)
        },
        "builtins.pow": { call in
            let args = try call.bind("base, exp")
            return try call.interpreter.binary(.power, args["base"], args["exp"], at: call.site)
        },
        "builtins.enumerate": { call in
            let args = try call.bind("iterable, start=0")
            let start = try args.int("start")
            return .list(ListBox(try call.interpreter.iterate(args["iterable"], at: call.site).enumerated().map {
                .tuple([.int(start.addingReportingOverflow($0.offset).partialValue), $0.element])
            }))
        },
        "builtins.zip": { call in
            let sequences = try call.positional.map { try call.interpreter.iterate($0, at: call.site) }
            let count = sequences.map(\.count).min() ?? 0
            return .list(ListBox((0..<count).map { i in .tuple(sequences.map { $0[i] }) }))
        },
        // An iterator is modelled as a list of the items not yet taken: `next` removes the first one, and a
        // `for` loop over it sees the rest, as it would over Python's iterator (catalyst's generator-friendly mean).
        "builtins.iter": { call in .list(ListBox(try call.interpreter.iterate(call.bind("object")["object"], at: call.site))) },
        "builtins.next": { call in
            let args = try call.bind("iterator, default=None")
            guard case .list(let remaining) = args["iterator"] else {
                throw call.error("TypeError: '\(args["iterator"].typeName)' object is not an iterator")
            }
            guard !remaining.items.isEmpty else {
                let hasDefault = call.positional.count > 1 || call.keywords.contains { $0.name == "default" }
                if hasDefault { return args["default"] }
                throw InterpreterError(.pythonError, "StopIteration", at: call.site, exceptionTypes: ["StopIteration"])
            }
            return remaining.items.removeFirst()
        },
        // `map` and `filter` are eager here: their iterator is the list of its items, as `iter`'s is.
        "builtins.map": { call in
            guard let function = call.positional.first, call.positional.count > 1 else { throw call.error("TypeError: map() must have at least two arguments.") }
            let sequences = try call.positional.dropFirst().map { try call.interpreter.iterate($0, at: call.site) }
            let count = sequences.map(\.count).min() ?? 0
            return .list(ListBox(try (0..<count).map { i in try call.interpreter.call(function, sequences.map { $0[i] }, [], site: call.site) }))
        },
        "builtins.filter": { call in
            let args = try call.bind("function, iterable")
            return .list(ListBox(try call.interpreter.iterate(args["iterable"], at: call.site).filter { item in
                let kept = if case .none = args["function"] { item } else { try call.interpreter.call(args["function"], [item], [], site: call.site) }
                return try call.interpreter.truthy(kept, at: call.site)
            }))
        },
        "builtins.reversed": { call in .list(ListBox(try call.interpreter.iterate(call.bind("seq")["seq"], at: call.site).reversed())) },
        "builtins.sorted": { call in
            let args = try call.bind("iterable, *, key=None, reverse=False")
            let items = try call.interpreter.iterate(args["iterable"], at: call.site)
            // Sort keys: numbers or strings (Python refuses to order mixed types too); a NumPy scalar is a number.
            let keys = try items.map { item -> Value in
                if case .none = args["key"] { return item }
                return try call.interpreter.call(args["key"], [item], [], site: call.site)
            }
            try call.interpreter.allocate(items: items.count, at: call.site)  // a new list, n log n compares
            try call.interpreter.work(items: items.count * Swift.max(1, Int.bitWidth - items.count.leadingZeroBitCount), at: call.site)
            let numbers = keys.compactMap(call.interpreter.pythonNumber)
            let strings = keys.compactMap { if case .string(let s) = $0 { s } else { nil } }
            var order = Array(items.indices)
            if numbers.count == items.count {
                order.sort { numbers[$0] < numbers[$1] || (numbers[$0] == numbers[$1] && $0 < $1) }
            } else if strings.count == items.count {
                order.sort { strings[$0] < strings[$1] || (strings[$0] == strings[$1] && $0 < $1) }
            } else {
                throw call.error("TypeError: '<' not supported between the items of this sequence")
            }
            if try call.interpreter.truthy(args["reverse"], at: call.site) {
                // Python's reverse sort is stable too: equal keys keep their order.
                order = order.reversed()
                var i = 0
                while i < order.count {
                    var j = i
                    func same(_ a: Int, _ b: Int) -> Bool { numbers.count == items.count ? numbers[a] == numbers[b] : strings[a] == strings[b] }
                    while j + 1 < order.count, same(order[j + 1], order[i]) { j += 1 }
                    order[i...j].reverse()
                    i = j + 1
                }
            }
            return .list(ListBox(order.map { items[$0] }))
        },
        "builtins.list": { call in .list(ListBox(try call.positional.first.map { try call.interpreter.iterate($0, at: call.site) } ?? [])) },
        "builtins.tuple": { call in .tuple(try call.positional.first.map { try call.interpreter.iterate($0, at: call.site) } ?? []) },
        // `dict(mapping)` copies, `dict(pairs)` builds from key-value pairs; keywords are added last.
        "builtins.dict": { call in
            guard call.positional.count <= 1 else { throw call.error("TypeError: dict expected at most 1 argument, got \(call.positional.count)") }
            let box = DictBox()
            switch call.positional.first {
            case .dict(let source)?:
                for (key, value) in source.entries { box[key] = value }
            case let items?:
                for (index, item) in try call.interpreter.iterate(items, at: call.site).enumerated() {
                    guard let pair = item.sequence, pair.count == 2 else {
                        throw call.error("ValueError: dictionary update sequence element #\(index) has length \(item.sequence?.count ?? 1); 2 is required")
                    }
                    guard let key = DictKey(pair[0]) else { throw call.error("TypeError: unhashable type: '\(pair[0].typeName)'") }
                    box[key] = pair[1]
                }
            case nil: break
            }
            for (key, value) in call.keywords { box[.string(key)] = value }
            return .dict(box)
        },
        "builtins.isinstance": { call in
            let args = try call.bind("obj, classinfo")
            let kinds = args["classinfo"].sequence ?? [args["classinfo"]]
            let object = args["obj"]
            let mixed = object.mixedInEnumValue
            return .bool(kinds.contains { kind in
                switch (kind, object) {
                case (.builtin(let b), _) where mixed != nil:  // `isinstance(LossReduction.MEAN, str)`
                    return b.name == (mixed?.isText == true ? "builtins.str" : "builtins.int")
                case (.builtin(let b), _):
                    switch b.name {
                    case "builtins.float": if case .float = object { return true } else { return false }
                    case "builtins.int": if case .int = object { return true } else if case .bool = object { return true } else { return false }
                    case "builtins.bool": if case .bool = object { return true } else { return false }
                    case "builtins.str": if case .string = object { return true } else { return false }
                    case "builtins.list": if case .list = object { return true } else { return false }
                    case "builtins.tuple": if case .tuple = object { return true } else { return false }
                    case "builtins.dict": if case .dict = object { return true } else { return false }
                    default:
                        if case .exception(let exception) = object { return exception.classes.contains(String(b.name.dropFirst("builtins.".count))) }
                        return false
                    }
                case (.module(let path), _) where path == "collections.abc.Hashable" || path == "typing.Hashable":
                    switch object {
                    case .list, .dict: return false
                    default: return true
                    }
                case (.module(let path), .tensor):
                    return ["torch.Tensor", "tensorflow.Tensor", "numpy.ndarray"].contains(path)
                case (.module(let path), .userClass(let cls)) where path == "enum.EnumMeta" || path == "enum.EnumType":
                    return cls.enumMembers != nil
                case (.module(let path), .instance(let instance)) where ClassValue.enumBases.contains(path):
                    return instance.cls.enumMembers != nil
                case (.userClass(let cls), .instance(let instance)):
                    return instance.cls.mro.contains { $0 === cls }  // any depth of the hierarchy
                default: return false
                }
            })
        },
        // MONAI's conversions pick an output type with `issubclass(type(img), torch.Tensor)`.
        "builtins.issubclass": { call in
            let args = try call.bind("cls, classinfo")
            let cls = args["cls"]
            return .bool(try (args["classinfo"].sequence ?? [args["classinfo"]]).contains { kind in
                switch (cls, kind) {
                case (.userClass(let derived), .userClass(let base)): return derived.mro.contains { $0 === base }
                case (.userClass(let derived), .module(let path)):  // a class deriving from a framework class
                    let name = BuiltinRegistry.canonical(path)
                    return derived.mro.contains { $0.bases.contains { if case .module(let p) = $0 { BuiltinRegistry.canonical(p) == name } else { false } } }
                case (.module(let a), .module(let b)): return BuiltinRegistry.canonical(a) == BuiltinRegistry.canonical(b)
                case (.builtin(let a), .builtin(let b)): return a.name == b.name || (a.name == "builtins.bool" && b.name == "builtins.int")
                case (.userClass, _), (.module, _), (.builtin, _): return false
                default: throw call.error("TypeError: issubclass() arg 1 must be a class")
                }
            })
        },
        "builtins.hasattr": { call in
            let args = try call.bind("obj, name")
            guard let name = try args.string("name") else { return .bool(false) }
            return .bool((try? call.interpreter.attribute(of: args["obj"], name, at: call.site)) != nil)
        },
        "builtins.getattr": { call in
            let args = try call.bind("obj, name, default=None")
            guard let name = try args.string("name") else { throw call.error("TypeError: attribute name must be string") }
            do { return try call.interpreter.attribute(of: args["obj"], name, at: call.site) } catch {
                if call.positional.count + call.keywords.count > 2 { return args["default"] }
                throw error
            }
        },
        "builtins.print": { _ in .none },
        "builtins.super": { call in
            if call.positional.count == 2 {  // `super(Cls, self)`
                guard case .instance(let instance) = call.positional[1] else { throw call.error("TypeError: super(type, obj): obj must be an instance or subtype of type") }
                if case .userClass(let cls) = call.positional[0] { return .superProxy(instance, after: cls) }
                return .superProxy(instance, after: instance.cls.mro.last)  // a framework class: past every user class
            }
            guard let instance = call.interpreter.currentInstance() else { throw call.error("RuntimeError: super(): no arguments outside a method") }
            return .superProxy(instance, after: call.interpreter.currentOwner() ?? instance.cls)
        },
        "builtins.ValueError": exception("ValueError"),
        "builtins.TypeError": exception("TypeError"),
        "builtins.RuntimeError": exception("RuntimeError"),
        "builtins.NotImplementedError": exception("NotImplementedError"),
        "builtins.Exception": exception("Exception"),
        "builtins.AssertionError": exception("AssertionError"),
        "math.sqrt": mathFunction(sqrt),
        "math.log": mathFunction(log),
        "math.exp": mathFunction(exp),
        "math.log10": mathFunction(log10),
        "math.floor": { call in .int(try integer((try call.bind("x")["x"].number ?? 0).rounded(.down), call)) },
        "math.ceil": { call in .int(try integer((try call.bind("x")["x"].number ?? 0).rounded(.up), call)) },
        "math.pow": { call in let a = try call.bind("x, y"); return .float(pow(a["x"].number ?? .nan, a["y"].number ?? .nan)) },
        "math.isnan": { call in .bool((try call.bind("x")["x"].number ?? 0).isNaN) },
    ]

    /// A whole double as a Python int: infinities, NaN and values beyond 64 bits are Python's errors
    /// (LossDoctor's ints are 64-bit; Python's would grow).
    static func integer(_ value: Double, _ call: Call) throws -> Int {
        if value.isNaN { throw call.error("ValueError: cannot convert float NaN to integer") }
        if value.isInfinite { throw call.error("OverflowError: cannot convert float infinity to integer") }
        guard let integer = Int(exactly: value) else {
            throw call.error("OverflowError: \(formatNumber(value)) does not fit a 64-bit integer")
        }
        return integer
    }

    /// An exception class: calling it builds a message value that `raise` reports.
    static func exception(_ name: String) -> BuiltinFunction {
        { call in .exception(ExceptionValue(name, arguments: call.positional)) }
    }

    static func mathFunction(_ f: @escaping @Sendable (Double) -> Double) -> BuiltinFunction {
        { call in
            let x = try call.bind("x")["x"]
            guard let n = x.number else { throw call.error("TypeError: must be real number, not \(x.typeName)") }
            return .float(f(n))
        }
    }

    /// `min`/`max` over arguments or one iterable; tensors compare elementwise only through the frameworks.
    static func extremum(_ call: Call, smallest: Bool) throws -> Value {
        let items = call.positional.count == 1 ? try call.interpreter.iterate(call.positional[0], at: call.site) : call.positional
        guard var best = items.first else { throw call.error("ValueError: \(smallest ? "min" : "max")() arg is an empty sequence") }
        for item in items.dropFirst() {
            if let x = call.interpreter.pythonNumber(item), let y = call.interpreter.pythonNumber(best) {
                if smallest ? x < y : x > y { best = item }  // the first of equal items, as Python keeps it
                continue
            }
            if item.tensor != nil || best.tensor != nil {
                throw call.error("TypeError: Python's \(smallest ? "min" : "max")() compares tensors as bools; use the framework's minimum/maximum")
            }
            let isBetter = try call.interpreter.compare(smallest ? .less : .greater, item, best, at: call.site)
            if case .bool(true) = isBetter { best = item }
        }
        return best
    }

    static let listMethods: [String: BuiltinFunction] = [
        "append": { call in
            guard case .list(let box) = call.positional[0], call.positional.count == 2 else { throw call.error("append() takes exactly one argument") }
            try call.interpreter.retain(call.positional[1], into: box.epoch, at: call.site)
            box.items.append(call.positional[1])
            return .none
        },
        "extend": { call in
            guard case .list(let box) = call.positional[0], call.positional.count == 2 else { throw call.error("extend() takes exactly one argument") }
            let items = try call.interpreter.iterate(call.positional[1], at: call.site)
            try call.interpreter.allocate(items: box.items.count + items.count, at: call.site)
            try call.interpreter.retain(call.positional[1], into: box.epoch, at: call.site)
            box.items += items
            return .none
        },
        "pop": { call in
            guard case .list(let box) = call.positional[0], call.positional.count <= 2 else { throw call.error("TypeError: pop expected at most 1 argument") }
            let i = call.positional.count == 2 ? try call.interpreter.integer(call.positional[1]) ?? Int.max : -1
            guard let position = Interpreter.normalize(i, count: box.items.count) else { throw call.error("IndexError: pop index out of range") }
            return box.items.remove(at: position)
        },
        "insert": { call in
            guard case .list(let box) = call.positional[0], call.positional.count == 3, let i = try call.interpreter.integer(call.positional[1]) else {
                throw call.error("TypeError: insert expected 2 arguments")
            }
            try call.interpreter.retain(call.positional[2], into: box.epoch, at: call.site)
            try call.interpreter.allocate(items: box.items.count + 1, at: call.site)
            let position = Swift.min(Swift.max(i < 0 ? i + box.items.count : i, 0), box.items.count)
            box.items.insert(call.positional[2], at: position)
            return .none
        },
        "remove": { call in
            guard case .list(let box) = call.positional[0], call.positional.count == 2 else { throw call.error("TypeError: remove() takes exactly one argument") }
            guard let i = try box.items.firstIndex(where: { try call.interpreter.equal($0, call.positional[1], at: call.site) }) else {
                throw call.error("ValueError: list.remove(x): x not in list")
            }
            box.items.remove(at: i)
            return .none
        },
        "copy": { call in
            guard case .list(let box) = call.positional[0] else { return .none }
            try call.interpreter.allocate(items: box.items.count, at: call.site)
            return .list(ListBox(box.items))
        },
        "reverse": { call in
            guard case .list(let box) = call.positional[0] else { return .none }
            box.items.reverse()
            return .none
        },
        "count": { call in try countItems(call) },
        "index": { call in
            let items = try call.interpreter.iterate(call.positional[0], at: call.site)
            guard call.positional.count == 2, let i = try items.firstIndex(where: { try call.interpreter.equal($0, call.positional[1], at: call.site) }) else {
                throw call.error("ValueError: value is not in list")
            }
            return .int(i)
        },
    ]

    /// `list.count`, `tuple.count`: items equal to the argument.
    static func countItems(_ call: Call) throws -> Value {
        guard call.positional.count == 2 else { throw call.error("TypeError: count() takes exactly one argument") }
        let items = try call.interpreter.iterate(call.positional[0], at: call.site)
        try call.interpreter.step(at: call.site, count: items.count)
        return .int(try items.filter { try call.interpreter.equal($0, call.positional[1], at: call.site) }.count)
    }

    static let tupleMethods: [String: BuiltinFunction] = [
        "count": { call in try countItems(call) },
        "index": { call in try listMethods["index"]!(call) },
    ]

    static let dictMethods: [String: BuiltinFunction] = [
        "pop": { call in
            guard case .dict(let box) = call.positional[0], call.positional.count >= 2 else { throw call.error("TypeError: pop expected at least 1 argument") }
            guard let key = DictKey(call.positional[1]), let value = box[key] else {
                if call.positional.count > 2 { return call.positional[2] }
                throw call.error("KeyError: \(call.interpreter.repr(call.positional[1]))")
            }
            box[key] = nil
            return value
        },
        "setdefault": { call in
            guard case .dict(let box) = call.positional[0], call.positional.count >= 2, let key = DictKey(call.positional[1]) else { throw call.error("TypeError: setdefault needs a hashable key") }
            if let value = box[key] { return value }
            let value = call.positional.count > 2 ? call.positional[2] : .none
            try call.interpreter.retain(value, into: box.epoch, at: call.site)
            box[key] = value
            return value
        },
        "update": { call in
            guard case .dict(let box) = call.positional[0] else { return .none }
            if call.positional.count > 1 {
                guard case .dict(let other) = call.positional[1] else { throw call.error("TypeError: update() needs a dict") }
                for (key, value) in other.entries { try call.interpreter.retain(value, into: box.epoch, at: call.site); box[key] = value }
            }
            for (name, value) in call.keywords { try call.interpreter.retain(value, into: box.epoch, at: call.site); box[.string(name)] = value }
            return .none
        },
        "copy": { call in
            guard case .dict(let box) = call.positional[0] else { return .none }
            try call.interpreter.allocate(items: box.entries.count, at: call.site)
            return .dict(DictBox(box.entries))
        },
        "get": { call in
            guard case .dict(let box) = call.positional[0], call.positional.count >= 2 else { throw call.error("get() needs a key") }
            return DictKey(call.positional[1]).flatMap { box[$0] } ?? (call.positional.count > 2 ? call.positional[2] : .none)
        },
        "items": { call in
            guard case .dict(let box) = call.positional[0] else { return .none }
            return .list(ListBox(box.entries.map { .tuple([$0.key.value, $0.value]) }))
        },
        "keys": { call in
            guard case .dict(let box) = call.positional[0] else { return .none }
            return .list(ListBox(box.entries.map { $0.key.value }))
        },
        "values": { call in
            guard case .dict(let box) = call.positional[0] else { return .none }
            return .list(ListBox(box.entries.map(\.value)))
        },
    ]

    static let stringMethods: [String: BuiltinFunction] = [
        "lower": { call in try call.transformString { $0.lowercased() } },
        "upper": { call in try call.transformString { $0.uppercased() } },
        "format": { call in
            guard case .string(let template) = call.positional[0] else { return .none }
            return .string(try call.interpreter.formatMethod(template, Array(call.positional.dropFirst()), call.keywords, at: call.site))
        },
        "join": { call in
            guard case .string(let separator) = call.positional[0], call.positional.count == 2 else { throw call.error("TypeError: join() takes exactly one argument") }
            let parts = try call.interpreter.iterate(call.positional[1], at: call.site).map { item -> String in
                guard case .string(let s) = item else { throw call.error("TypeError: sequence item: expected str instance, \(item.typeName) found") }
                return s
            }
            let text = parts.joined(separator: separator)
            try call.interpreter.allocate(bytes: text.utf8.count, at: call.site)
            return .string(text)
        },
        "isnumeric": { call in if case .string(let s) = call.positional[0] { .bool(!s.isEmpty && s.allSatisfy(\.isNumber)) } else { .none } },
        "isdigit": { call in if case .string(let s) = call.positional[0] { .bool(!s.isEmpty && s.allSatisfy(\.isWholeNumber)) } else { .none } },
        "isalpha": { call in if case .string(let s) = call.positional[0] { .bool(!s.isEmpty && s.allSatisfy(\.isLetter)) } else { .none } },
        "strip": { call in try call.transformString { $0.trimmingCharacters() } },
        "endswith": { call in
            guard case .string(let s) = call.positional[0], call.positional.count == 2 else { return .bool(false) }
            let suffixes = call.positional[1].sequence ?? [call.positional[1]]
            return .bool(suffixes.contains { if case .string(let p) = $0 { s.hasSuffix(p) } else { false } })
        },
        "count": { call in
            guard case .string(let s) = call.positional[0], call.positional.count == 2, case .string(let sub) = call.positional[1] else {
                throw call.error("TypeError: count() takes a string")
            }
            try call.interpreter.scan(s, sub, at: call.site)
            if sub.isEmpty { return .int(s.count + 1) }
            var count = 0, rest = Substring(s)
            while let range = rest.firstRange(of: sub) { count += 1; rest = rest[range.upperBound...] }
            return .int(count)
        },
        "split": { call in
            guard case .string(let s) = call.positional[0] else { return .none }
            try call.interpreter.scan(s, at: call.site)
            let parts: [Substring]
            if call.positional.count > 1, case .string(let separator) = call.positional[1] {
                guard !separator.isEmpty else { throw call.error("ValueError: empty separator") }
                parts = s.split(separator: separator, omittingEmptySubsequences: false)
            } else {
                parts = s.split(whereSeparator: \.isWhitespace)
            }
            try call.interpreter.allocate(items: parts.count, at: call.site)
            return .list(ListBox(parts.map { .string(String($0)) }))
        },
        "replace": { call in
            guard case .string(let s) = call.positional[0], call.positional.count == 3, case .string(let old) = call.positional[1],
                  case .string(let new) = call.positional[2], !old.isEmpty else { throw call.error("TypeError: replace() takes two strings") }
            try call.interpreter.scan(s, old, at: call.site)
            let text = s.replacing(old, with: new)
            try call.interpreter.allocate(bytes: text.utf8.count, at: call.site)
            return .string(text)
        },
        "startswith": { call in
            guard case .string(let s) = call.positional[0], call.positional.count == 2, case .string(let p) = call.positional[1] else { return .bool(false) }
            return .bool(s.hasPrefix(p))
        },
        "partition": { call in
            guard case .string(let s) = call.positional[0], call.positional.count == 2, case .string(let separator) = call.positional[1] else {
                throw call.error("TypeError: partition() takes a string")
            }
            guard !separator.isEmpty else { throw call.error("ValueError: empty separator") }
            try call.interpreter.scan(s, separator, at: call.site)
            guard let range = s.firstRange(of: separator) else { return .tuple([.string(s), .string(""), .string("")]) }
            return .tuple([.string(String(s[..<range.lowerBound])), .string(separator), .string(String(s[range.upperBound...]))])
        },
    ]

    /// Methods a framework base class gives a user's `nn.Module` / `keras.losses.Loss` subclass.
    static let moduleMethods: [String: BuiltinFunction] = [
        "register_buffer": { call in
            guard case .instance(let instance) = call.positional[0], call.positional.count >= 3, case .string(let name) = call.positional[1] else { return .none }
            try call.interpreter.retain(call.positional[2], into: instance.epoch, at: call.site)
            instance.attributes[name] = call.positional[2]
            return .none
        },
        // The context of a `torch.autograd.Function` (`ctx`): what forward saves is read back as `ctx.saved_tensors`.
        "save_for_backward": { call in
            guard case .instance(let context) = call.positional[0] else { return .none }
            let saved = Value.tuple(Array(call.positional.dropFirst()))
            try call.interpreter.retain(saved, into: context.epoch, at: call.site)
            context.attributes["saved_tensors"] = saved
            return .none
        },
        "mark_non_differentiable": { _ in .none },
        "mark_dirty": { _ in .none },
        "set_materialize_grads": { _ in .none },
        "parameters": { _ in .list(ListBox([])) },
        "to": { call in call.positional[0] },
        "cuda": { call in call.positional[0] },
        "cpu": { call in call.positional[0] },
        "train": { call in call.positional[0] },
        "eval": { call in call.positional[0] },
    ]
}
