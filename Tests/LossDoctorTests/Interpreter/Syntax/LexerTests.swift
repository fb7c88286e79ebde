import Testing
@testable import LossDoctor

@Suite struct LexerTests {
    @Test func simpleStatement() throws {
        #expect(try tokenString("x = a // 2\n") == "x = a // 2 NEWLINE EOF")
    }

    @Test func missingTrailingNewlineStillEndsLine() throws {
        #expect(try tokenString("x") == "x NEWLINE EOF")
    }

    @Test func emptyAndCommentOnlyFiles() throws {
        #expect(try tokenString("") == "EOF")
        #expect(try tokenString("# only a comment\n\n   # another\n") == "EOF")
        #expect(try tokenString("\n\n  \n\t\n") == "EOF")
    }

    @Test func indentationProducesIndentAndDedent() throws {
        let source = "if a:\n    if b:\n        x\n\n    # comment at other depth\n  # odd comment\n    y\nz\n"
        #expect(try tokenString(source)
            == "if a : NEWLINE INDENT if b : NEWLINE INDENT x NEWLINE DEDENT y NEWLINE DEDENT z NEWLINE EOF")
    }

    @Test func dedentsAtEndOfFile() throws {
        #expect(try tokenString("def f():\n    if x:\n        return 1") ==
            "def f ( ) : NEWLINE INDENT if x : NEWLINE INDENT return 1 NEWLINE DEDENT DEDENT EOF")
    }

    @Test func implicitLineJoiningInsideBrackets() throws {
        let source = "x = f(a,\n      b,  # why\n\n   c)[\n0]\ny = {1:\n2}\n"
        #expect(try tokenString(source) == "x = f ( a , b , c ) [ 0 ] NEWLINE y = { 1 : 2 } NEWLINE EOF")
    }

    @Test func backslashContinuation() throws {
        #expect(try tokenString("x = 1 + \\\n    2\ny\n") == "x = 1 + 2 NEWLINE y NEWLINE EOF")
    }

    @Test func windowsAndOldMacLineEndings() throws {
        #expect(try tokenString("if a:\r\n    b\r\nc\rd") == "if a : NEWLINE INDENT b NEWLINE DEDENT c NEWLINE d NEWLINE EOF")
    }

    @Test func numbers() throws {
        let tokens = try Lexer.tokenize("1_000 0x_FF 0o17 0b101 1e-7 1. .5 2.5e3 1_0.0_1 0 00 99999999999999999999999").tokens
        let kinds = tokens.map(\.kind)
        #expect(kinds[0] == .integer(text: "1_000", value: 1000))
        #expect(kinds[1] == .integer(text: "0x_FF", value: 255))
        #expect(kinds[2] == .integer(text: "0o17", value: 15))
        #expect(kinds[3] == .integer(text: "0b101", value: 5))
        #expect(kinds[4] == .float(1e-7))
        #expect(kinds[5] == .float(1.0))
        #expect(kinds[6] == .float(0.5))
        #expect(kinds[7] == .float(2500.0))
        #expect(kinds[8] == .float(10.01))
        #expect(kinds[9] == .integer(text: "0", value: 0))
        #expect(kinds[10] == .integer(text: "00", value: 0))
        #expect(kinds[11] == .integer(text: "99999999999999999999999", value: nil))
    }

    @Test func allOperators() throws {
        let source = "+ - * / // % ** @ << >> & | ^ ~ < > <= >= == != ( ) [ ] { } , : . ; = -> := ... "
            + "+= -= *= /= //= %= **= @= &= |= ^= <<= >>="
        let expected = source.split(separator: " ").joined(separator: " ") + " NEWLINE EOF"
        #expect(try tokenString(source) == expected)
    }

    @Test func longestMatchWithoutSpaces() throws {
        #expect(try tokenString("a//=b**-c...") == "a //= b ** - c ... NEWLINE EOF")
        #expect(try tokenString("x[...,None]") == "x [ ... , None ] NEWLINE EOF")
    }

    @Test func keywordsAndNames() throws {
        #expect(try tokenString("not_a in_ is None lambda") == "not_a in_ is None lambda NEWLINE EOF")
        let tokens = try Lexer.tokenize("None déjà").tokens
        #expect(tokens[0].kind == .keyword(.none))
        #expect(tokens[1].kind == .name("déjà"))
    }

    @Test func stringLiteralsAndEscapes() throws {
        func literal(_ source: String) throws -> StringLiteral? {
            if case .string(let value) = try Lexer.tokenize(source).tokens[0].kind { return value }
            return nil
        }
        #expect(try literal(#"'a\tb\n\'q\''"#)?.value == "a\tb\n'q'")
        #expect(try literal(#""\x41\101\u00e9\U0001F600\q""#)?.value == "AAé😀\\q")
        #expect(try literal(#"r'a\nb\''"#) == StringLiteral(value: #"a\nb\'"#, kind: .text, isRaw: true))
        #expect(try literal(#"b'\xff'"#) == StringLiteral(value: "\u{FF}", kind: .bytes, isRaw: false))
        #expect(try literal(#"f'{x!r:>{w}}\n'"#) == StringLiteral(value: #"{x!r:>{w}}\n"#, kind: .formatted, isRaw: false))
        #expect(try literal("'''line1\nline2 ' \"\" '''")?.value == "line1\nline2 ' \"\" ")
        #expect(try literal("\"abc\\\ndef\"")?.value == "abcdef")
        #expect(try literal("Rb'x'")?.kind == .bytes)
    }

    @Test func tokenRangesAreOneBasedAndExclusive() throws {
        let tokens = try Lexer.tokenize("ab = 'é'\n  \t# c\nx").tokens
        #expect(tokens[0].range == SourceRange(start: loc(1, 1), end: loc(1, 3)))
        #expect(tokens[1].range == SourceRange(start: loc(1, 4), end: loc(1, 5)))
        #expect(tokens[2].range == SourceRange(start: loc(1, 6), end: loc(1, 9)))
        #expect(tokens[3].kind == .newline && tokens[3].location == loc(1, 9))
        #expect(tokens[4].kind == .name("x") && tokens[4].location == loc(3, 1))
    }

    @Test func tripleQuotedStringAdvancesLines() throws {
        let tokens = try Lexer.tokenize("s = '''a\nb\nc'''\ny").tokens
        #expect(tokens[2].range == SourceRange(start: loc(1, 5), end: loc(3, 5)))
        #expect(tokens[4].kind == .name("y") && tokens[4].location == loc(4, 1))
    }

    @Test func tabsConsistentlyUsedAreFine() throws {
        #expect(try tokenString("if a:\n\tb\n\tif c:\n\t\td\n") ==
            "if a : NEWLINE INDENT b NEWLINE if c : NEWLINE INDENT d NEWLINE DEDENT DEDENT EOF")
    }

    @Test func ambiguousTabsAreTabErrors() {
        // Eight spaces equal one tab only if tabs are 8 wide: CPython rejects this.
        let error = #expect(throws: SyntaxError.self) { try Lexer.tokenize("if a:\n        b\n\tc\n") }
        #expect(error == SyntaxError("inconsistent use of tabs and spaces in indentation", at: loc(3, 2)))
    }

    @Test func commentsAreCollectedWithLocations() throws {
        let source = "# header\nx = 1  # noqa: LD101\ny = (2,  # loss-doctor: ignore[LD101]\n     3)\n"
        let comments = try Lexer.tokenize(source).comments
        #expect(comments == [
            Comment(text: "# header", location: loc(1, 1)),
            Comment(text: "# noqa: LD101", location: loc(2, 8)),
            Comment(text: "# loss-doctor: ignore[LD101]", location: loc(3, 10)),
        ])
    }
}
