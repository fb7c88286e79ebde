/// Where every API name resolves: the framework tables, merged, and the aliases that lead to them.
enum BuiltinRegistry {
    /// Import paths rewritten to the short canonical prefixes the tables use, longest first.
    static let prefixes: [(path: String, canonical: String)] = [
        ("tensorflow.python.keras.backend", "K"), ("tensorflow.keras.backend", "K"), ("tf.keras.backend", "K"),
        ("keras.src.backend", "K"), ("keras.backend", "K"),
        ("tensorflow.keras.ops", "ops"), ("keras.src.ops", "ops"), ("keras.ops", "ops"),
        ("tensorflow.keras.losses", "keras.losses"), ("tf.keras.losses", "keras.losses"), ("keras.src.losses", "keras.losses"),
        ("tensorflow.keras", "keras"), ("tf.keras", "keras"),
        ("tensorflow", "tf"),
        ("torch.nn.functional", "F"),
        ("numpy", "np"),
    ]

    /// The canonical name of an import path: `tensorflow.math.log` -> `tf.math.log`.
    static func canonical(_ path: String) -> String {
        for (prefix, short) in prefixes where path == prefix || path.hasPrefix(prefix + ".") {
            return short + path.dropFirst(prefix.count)
        }
        return path
    }

    /// Every framework function, by canonical name.
    static let functions: [String: BuiltinFunction] = {
        var all: [String: BuiltinFunction] = [:]
        for table in [PythonBuiltins.functions, KerasBackendAPI.functions, TensorFlowAPI.functions, KerasOpsAPI.functions,
                      TorchAPI.functions, NumPyAPI.functions, ReorderingAPI.functions, LinearAlgebraAPI.functions,
                      PoolingAPI.functions, ConvolutionAPI.functions, SciPyAPI.functions, LibraryLosses.functions,
                      RegularExpressionAPI.functions, InspectAPI.functions] {
            all.merge(table) { first, _ in first }
        }
        return all
    }()

    /// Methods by receiver type (`Tensor`, `list`, `dict`, `str`, `Module`).
    static let methods: [String: [String: BuiltinFunction]] = [
        "Tensor": TensorMethods.functions.merging(ReorderingAPI.methods) { first, _ in first }
            .merging(LinearAlgebraAPI.methods) { first, _ in first },
        "list": PythonBuiltins.listMethods,
        "dict": PythonBuiltins.dictMethods,
        "tuple": PythonBuiltins.tupleMethods,
        "str": PythonBuiltins.stringMethods,
        "Module": PythonBuiltins.moduleMethods,
        "re.Match": RegularExpressionAPI.matchMethods,
        "re.Pattern": RegularExpressionAPI.patternMethods,
        "inspect.Signature": InspectAPI.signatureMethods,
        "inspect.Parameter": InspectAPI.parameterMethods,
        "inspect.BoundArguments": InspectAPI.boundMethods,
    ]

    /// Methods of built-in objects that Python reads as data attributes (`sig.parameters`), by `type.name`.
    static let dataAttributes = InspectAPI.attributes

    /// Values that are not functions: dtypes, constants, `np.newaxis` (immutable, hence safe to share).
    nonisolated(unsafe) static let constants: [String: Value] = {
        var values: [String: Value] = [
            "np.pi": .float(Double.pi), "math.pi": .float(Double.pi), "np.e": .float(2.718281828459045),
            "math.e": .float(2.718281828459045), "np.inf": .float(.infinity), "math.inf": .float(.infinity),
            "np.nan": .float(.nan), "math.nan": .float(.nan), "np.newaxis": .none, "torch.inf": .float(.infinity),
            "torch.pi": .float(Double.pi), "tf.newaxis": .none,
            // The release whose behaviour the tables follow (library code compares versions at import).
            "torch.__version__": .string("2.15.0"),
        ]
        for prefix in ["tf", "torch", "np", "keras"] {
            for type in DType.allCases { values["\(prefix).\(type.rawValue)"] = .dtype(type) }
        }
        for (name, type) in [("torch.float", DType.float32), ("torch.double", .float64), ("torch.long", .int64), ("torch.int", .int32),
                             ("torch.half", .float16), ("np.bool_", .bool), ("np.float_", .float64), ("np.int_", .int64)] {
            values[name] = .dtype(type)
        }
        values.merge(RegularExpressionAPI.constants.mapValues { .int($0) }) { first, _ in first }
        values.merge(InspectAPI.constants) { first, _ in first }
        return values
    }()

    /// APIs removed or renamed in current frameworks (LD601), with what to use instead; evaluated with
    /// their old meaning.
    static let removed: [String: (replacement: String, note: String)] = [
        "tf.log": ("tf.math.log", "`tf.log` was removed in TensorFlow 2 (AttributeError: module 'tensorflow' has no attribute 'log')"),
        "tf.to_float": ("tf.cast(x, tf.float32)", "`tf.to_float` was removed in TensorFlow 2"),
        "tf.to_int32": ("tf.cast(x, tf.int32)", "`tf.to_int32` was removed in TensorFlow 2"),
        "tf.div": ("tf.math.divide", "`tf.div` was removed in TensorFlow 2"),
        "tf.floordiv": ("tf.math.floordiv", "`tf.floordiv` was removed from the top level in TensorFlow 2"),
        "tf.mod": ("tf.math.floormod", "`tf.mod` was removed in TensorFlow 2"),
        "tf.log_sigmoid": ("tf.math.log_sigmoid", "`tf.log_sigmoid` was removed in TensorFlow 2"),
        "np.bool": ("bool or np.bool_", "`np.bool` was removed in NumPy 1.24"),
        "np.float": ("float or np.float64", "`np.float` was removed in NumPy 1.24"),
        "np.int": ("int or np.int64", "`np.int` was removed in NumPy 1.24"),
    ]

    /// Whether LossDoctor models some of a module's API (`scipy.ndimage`, `torch.nn.functional`, `numpy`): what an
    /// import by name finds (`importlib.import_module`); `cupy` or `scipy.sparse` are missing.
    static func models(module: String) -> Bool {
        let prefix = canonical(module) + "."
        return functions.keys.contains { $0.hasPrefix(prefix) } || constants.keys.contains { $0.hasPrefix(prefix) }
    }

    /// A PyTorch loss module class (`torch.nn.BCEWithLogitsLoss`) that user classes may derive from.
    static func isTorchLossClass(_ name: String) -> Bool {
        name.hasPrefix("torch.nn.") && name.hasSuffix("Loss") && functions[name] != nil
    }

    /// Resolves a dotted path: a function, a constant, a removed API (wrapped to report LD601), or a namespace.
    static func resolve(_ path: String) -> Value {
        let name = canonical(path)
        if let missing = keras3BackendMissing(path), let target = functions[name] {
            return .builtin(BuiltinValue(name: name) { call in
                call.notice(.removedAPI(.kerasBackend(name: missing, replacement: keras3Replacements[missing] ?? missing)))
                return try target(call)
            })
        }
        if let (replacement, note) = removed[name] {
            if let constant = removedConstants[name] { return constant }
            guard let target = functions[name] ?? functions[canonical(replacement)] else { return .module(path) }
            return .builtin(BuiltinValue(name: name) { call in
                call.notice(.removedAPI(.renamed(name: name, replacement: replacement, history: note)))
                return try target(call)
            })
        }
        if let function = functions[name] { return .builtin(BuiltinValue(name: name, function: function)) }
        if let constant = constants[name] { return constant }
        return .module(path)
    }

    /// What Keras 3's `keras.backend` still holds (Keras 3.15, run 2026-12-04); TensorFlow's legacy backend
    /// (`tensorflow.keras.backend`, TensorFlow 2.21) still has `flatten`, `sum`, `mean` and the rest.
    static let keras3Backend: Set<String> = [
        "backend", "clear_session", "epsilon", "floatx", "get_uid", "image_data_format", "is_float_dtype", "is_int_dtype",
        "is_keras_tensor", "result_type", "set_epsilon", "set_floatx", "set_image_data_format", "standardize_dtype",
    ]

    /// `keras.ops` names of old backend functions whose name changed.
    static let keras3Replacements: [String: String] = [
        "flatten": "reshape(x, [-1])", "batch_flatten": "reshape(x, (keras.ops.shape(x)[0], -1))", "pow": "power",
        "switch": "where", "int_shape": "shape", "gather": "take",
    ]

    /// The function name when `path` reaches a function through Keras 3's `keras.backend`, which lacks it:
    /// `K.sum`, `K.mean`, `K.flatten`... raise `AttributeError: module 'keras.backend' has no attribute 'sum'` at
    /// the first call (Keras 3.15.1: `dir(keras.backend)` is `keras3Backend`, run 2026-12-05). Through
    /// `from tensorflow.keras import backend as K` (TensorFlow 2.21) they still exist: no finding.
    static func keras3BackendMissing(_ path: String) -> String? {
        guard path.hasPrefix("keras.backend.") else { return nil }
        let member = String(path.dropFirst("keras.backend.".count))
        guard !member.contains("."), !keras3Backend.contains(member) else { return nil }
        return member
    }

    /// Removed names that were types, not functions.
    nonisolated(unsafe) static let removedConstants: [String: Value] = ["np.bool": .dtype(.bool), "np.float": .dtype(.float64), "np.int": .dtype(.int64)]

    /// The modelled API nearest to an unknown one, for LD902: by edit distance among the functions of the
    /// same namespace (`torch.cumsun` -> `torch.cumsum`), then among tensor methods for a bare name.
    static func nearest(to path: String) -> String? {
        let name = canonical(path)
        let namespace = name.split(separator: ".").dropLast().joined(separator: ".")
        if !namespace.isEmpty {
            let siblings = functions.keys.filter { $0.hasPrefix(namespace + ".") }.sorted()
            if let match = Suggestion.closest(to: name, among: siblings) { return match }
            // Another namespace with the same last name (`torch.tensordot` for `tf.tensordot`).
            let last = String(name.split(separator: ".").last ?? "")
            return functions.keys.sorted().first { $0.hasSuffix("." + last) }
        }
        return Suggestion.closest(to: name, among: (methods["Tensor"] ?? [:]).keys.sorted()).map { "Tensor.\($0)" }
    }

    /// A method of a receiver type.
    static func method(_ name: String, on type: String) -> BuiltinFunction? { methods[type]?[name] }

    /// A Python built-in by bare name (`len`, `float`, `range`).
    static func pythonBuiltin(_ name: String) -> Value? {
        functions["builtins." + name].map { .builtin(BuiltinValue(name: "builtins." + name, function: $0)) }
    }
}
