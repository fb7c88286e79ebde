/// Why evaluating the user's code stopped, at a source location. Each kind maps to the rule that words it
/// (`Kind.rule`, in `Rules/Source/PythonErrorRule.swift`).
struct InterpreterError: LocatedError, Sendable {
    enum Kind: String, Sendable {
        /// What Python itself would raise: NameError, TypeError, AttributeError, SyntaxError, ... (LD603).
        case pythonError
        /// A construct outside the supported subset (LD901).
        case unsupportedSyntax
        /// A call whose meaning LossDoctor does not know (LD902).
        case unsupportedCall
        /// A resource limit: steps, recursion, tensor size (LD903).
        case limit
    }

    let kind: Kind
    let message: String
    let site: SourceSite?
    /// A hint on what to do.
    let hint: String?
    /// For a Python exception raised by the loss, its class and the classes it derives from, most
    /// specific first (what an `except` clause matches); nil when the message's prefix names it.
    let exceptionTypes: [String]?
    /// The exception object a `raise` statement raised, as its index in the interpreter's `raisedExceptions`
    /// (the object itself is not Sendable); nil for errors the interpreter or a built-in made.
    var raised: Int?

    init(_ kind: Kind, _ message: String, at site: SourceSite?, hint: String? = nil, exceptionTypes: [String]? = nil) {
        self.kind = kind
        self.message = Self.shortened(message)
        self.site = site
        self.hint = hint
        self.exceptionTypes = exceptionTypes
    }

    /// Longest message kept: the user's text reaches messages (`raise ValueError(s)`, a name, a dict key),
    /// and a loss fails the same way on every probe, so a megabyte of it would be repeated 200 times.
    static let maximumMessageLength = 500

    static func shortened(_ message: String) -> String {
        guard message.utf8.count > maximumMessageLength else { return message }
        var kept = ""
        for character in message {
            guard kept.utf8.count + character.utf8.count <= maximumMessageLength else { break }
            kept.append(character)
        }
        return kept + "… (\(message.utf8.count) bytes)"
    }

    /// The rule code this error is reported under (`Kind.rule` says which rule words it).
    var code: String { kind.rule.description.code }
}
