/// A 1-based position in source text; `column` counts Unicode scalars from the start of the line.
struct SourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 1-based line number.
    var line: Int
    /// The 1-based column, in Unicode scalars (a tab counts as one column).
    var column: Int

    /// Creates a location from a 1-based line and column.
    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Orders locations by line, then column.
    static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// The location formatted as `line:column`.
    var description: String { "\(line):\(column)" }
}

/// A half-open span of source text: `end` is the location just after the last character.
struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    /// The location of the first character.
    var start: SourcePosition
    /// The location one column past the last character (on the last line of the span).
    var end: SourcePosition

    /// Creates a range from its start and exclusive end.
    init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = end
    }

    /// The range formatted as `line:column-line:column`.
    var description: String { "\(start)-\(end)" }
}
