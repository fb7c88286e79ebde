/// Python syntax this front end deliberately does not handle (each is rejected with a clear
/// `SyntaxError`, or parsed loosely as noted), so later passes know what they will never see.
///
/// - Walrus `:=` ("assignment expressions (':=') are not supported").
/// - `async`, `await`, `async for`/`async with`, `except*`. (`yield` is parsed; evaluating it is LD901.)
/// - `match`/`case`, `type X = ...`, generic parameter lists `def f[T]()`.
/// - Imaginary literals (`1j`).
/// - f-string internals: an f-string's value is its raw source text; nested same-kind quotes
///   inside replacement fields (Python 3.12) are not recognised.
/// - `\N{NAME}` escapes are kept verbatim (no Unicode name table).
/// - Parenthesised multi-item `with (a as b, c as d):` (single parenthesised expressions work).
/// - End locations of AST nodes (tokens have full ranges; nodes keep their start location
///   and operator location).
/// - Python 2 syntax (`print x`, backticks, `<>`).
enum UnsupportedSyntax {
    /// Short names of the unsupported features listed above.
    static let features: [String] = [
        "walrus", "async/await", "except*", "match", "type alias", "generic parameters",
        "imaginary literals", "f-string fields", "\\N{} escapes", "parenthesised with-items", "node end locations",
    ]
}
