/// A Python exception object: what `ValueError("bad")` builds and what `except ValueError as e` binds.
/// Real code reads it back (`str(e)`, `e.args`, `type(e)(...)`, `e.__traceback__`), as MONAI's
/// `optional_import` does when an optional dependency is missing.
struct ExceptionValue {
    /// The exception's class, then the built-in classes it derives from: `["ModuleNotFoundError", "ImportError", "Exception", "BaseException"]`.
    let classes: [String]
    /// What the class was called with (`e.args`).
    let arguments: [Value]

    init(_ name: String, arguments: [Value]) {
        self.init(classes: Interpreter.exceptionChain([name]), arguments: arguments)
    }

    init(classes: [String], arguments: [Value]) {
        self.classes = classes.isEmpty ? ["Exception", "BaseException"] : classes
        self.arguments = arguments
    }

    var name: String { classes[0] }

    /// The attributes Python gives every exception: its arguments, and no traceback (nothing here has frames).
    func attribute(_ attribute: String, of object: Value) -> Value? {
        switch attribute {
        case "args": .tuple(arguments)
        case "__traceback__", "__cause__", "__context__": Value.none
        case "__class__": BuiltinRegistry.pythonBuiltin(name) ?? Value.none
        // `raise type(e)(...).with_traceback(e.__traceback__)`: the traceback is not modelled, the exception is kept.
        case "with_traceback": .builtin(BuiltinValue(name: "\(name).with_traceback", function: { call in call.positional[0] }, receiver: object))
        default: nil
        }
    }

    /// The attributes a handler may write and that change nothing the interpreter models.
    static let writableAttributes: Set<String> = ["__traceback__", "__cause__", "__context__", "__suppress_context__"]
}
