/// A `#` comment kept by the lexer so later passes can read suppression markers such as `# noqa: LD101`.
struct Comment: Hashable, Sendable {
    /// The comment text including the leading `#`, without the line break.
    var text: String
    /// The location of the `#`.
    var location: SourcePosition

    /// Creates a comment from its text and the location of its `#`.
    init(text: String, location: SourcePosition) {
        self.text = text
        self.location = location
    }
}
