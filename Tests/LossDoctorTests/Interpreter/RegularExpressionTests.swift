import Testing
@testable import LossDoctor

/// Python's `re` module as library code uses it at import time. Expected values were printed by CPython 3.11.7.
@Suite("Regular expressions (re)")
struct RegularExpressionTests {
    static func text(_ expression: String) throws -> String {
        let value = try PythonSubsetTests.value("repr(\(expression))", after: "import re")
        guard case .string(let s) = value else { return "<not a string>" }
        return s
    }

    @Test("match anchors at the start and gives its groups, as a version parser reads them")
    func matchGroups() throws {
        #expect(try Self.text(#"re.match(r'(\d+)(.*)', '12rc1').groups()"#) == "('12', 'rc1')")
        #expect(try Self.text(#"re.match(r'(\d+)(.*)', 'rc1')"#) == "None")
        #expect(try Self.text(#"re.fullmatch(r'\d', '12')"#) == "None")
    }

    @Test("search: an unmatched group is None, or the default of groups(); spans count code points")
    func searchSpans() throws {
        #expect(try Self.text("re.search(r'b(c)?', 'abd').group(0, 1)") == "('b', None)")
        #expect(try Self.text("re.search(r'b(c)?', 'abd').span()") == "(1, 2)")
        #expect(try Self.text("re.search(r'b(c)?', 'abd').groups('x')") == "('x',)")
        #expect(try Self.text("re.match('é(.)', 'éa').span(1)") == "(1, 2)")
    }

    @Test("findall, split and sub return what Python returns, groups included")
    func findallSplitSub() throws {
        #expect(try Self.text(#"re.findall(r'\d+', 'a1b22c333')"#) == "['1', '22', '333']")
        #expect(try Self.text(#"re.findall(r'(\w)=(\d)', 'a=1 b=2')"#) == "[('a', '1'), ('b', '2')]")
        #expect(try Self.text(#"re.findall(r'x(\d)', 'x1x2')"#) == "['1', '2']")
        #expect(try Self.text(#"re.split(r'[,;]\s*', 'a, b;c')"#) == "['a', 'b', 'c']")
        #expect(try Self.text("re.split(r'(-)', 'a-b-c', maxsplit=1)") == "['a', '-', 'b-c']")
        #expect(try Self.text(#"re.sub(r'(\w+)@(\w+)', r'\2 at \g<1>', 'me@host, you@there', count=1)"#) == "'host at me, you@there'")
    }

    @Test("a compiled pattern keeps its flags")
    func compiledPattern() throws {
        #expect(try Self.text("re.compile('ab', re.I).match('ABc').group()") == "'AB'")
        #expect(try Self.text("re.compile('ab', re.IGNORECASE).fullmatch('AB') is not None") == "True")
        #expect(try Self.text("re.compile('ab', re.I).sub('x', 'aAbAB')") == "'axx'")
    }

    @Test("patterns that can backtrack without end are refused, not run", arguments: [#"(a+)+b"#, #"(\w*)*$"#, #"(x|y+){2,}"#, #"(a)\1"#, "(?P<q>a)(?P=q)"])
    func catastrophicPatternsRefused(pattern: String) throws {
        #expect(RegularExpressionAPI.unsafeConstruct(in: pattern) != nil)
        #expect(throws: InterpreterError.self) { try PythonSubsetTests.value("re.match(r'\(pattern)', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac')", after: "import re") }
    }

    @Test("ordinary patterns are not refused", arguments: [#"(\d+)(.*)"#, #"[(+*]+"#, #"(ab)+c*"#, #"\++(x)?"#, #"^v?(\d+)\.(\d+)"#])
    func ordinaryPatternsAccepted(pattern: String) {
        #expect(RegularExpressionAPI.unsafeConstruct(in: pattern) == nil)
    }
}
