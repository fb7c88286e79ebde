/// A `#` comment kept by the lexer so later passes can read suppression markers such as `# noqa: LD101`.
public struct Comment: Hashable, Sendable {
    /// The comment text including the leading `#`, without the line break.
    public var text: String
    /// The location of the `#`.
    public var location: SourcePosition

    /// Creates a comment from its text and the location of its `#`.
    public init(text: String, location: SourcePosition) {
        self.text = text
        self.location = location
    }
}
