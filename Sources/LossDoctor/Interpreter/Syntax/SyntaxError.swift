/// A lexing or parsing failure with a Python-like message and the location it refers to.
struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The Python-style message, e.g. `expected ':'`.
    var message: String
    /// Where the error was detected.
    var location: SourcePosition

    /// Creates an error with a message and location.
    init(_ message: String, at location: SourcePosition) {
        self.message = message
        self.location = location
    }

    /// The error formatted as `line:column: message`.
    var description: String { "\(location): \(message)" }
}
