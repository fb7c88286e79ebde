import Testing
@testable import LossDoctor

@Suite struct SyntaxErrorTests {
    @Test(arguments: [
        ("def f()\n    pass\n", "expected ':'", 1, 8),
        ("if x\n    pass\n", "expected ':'", 1, 5),
        ("x = 1\n    y = 2\n", "unexpected indent", 2, 5),
        ("  x = 1\n", "unexpected indent", 1, 3),
        ("if x:\n        a\n    b\n", "unindent does not match any outer indentation level", 3, 5),
        ("if x:\npass\n", "expected an indented block after 'if' statement on line 1", 2, 1),
        ("def f(a):\n\nreturn a\n", "expected an indented block after function definition on line 1", 3, 1),
        ("for x in y:\n", "expected an indented block after 'for' statement on line 1", 2, 1),
        ("class A:\nx\n", "expected an indented block after class definition on line 1", 2, 1),
        ("s = 'abc\n", "unterminated string literal (detected at line 1)", 1, 5),
        ("s = '''abc\n\n", "unterminated triple-quoted string literal (detected at line 3)", 1, 5),
        ("x = (1,\n 2\n", "'(' was never closed", 1, 5),
        ("x = [1, (2]\n", "closing parenthesis ']' does not match opening parenthesis '('", 1, 11),
        ("x = (1\n]\n", "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2, 1),
        ("x = 1)\n", "unmatched ')'", 1, 6),
        ("x = a b\n", "invalid syntax", 1, 7),
        ("x = \n", "invalid syntax", 1, 5),
        ("x or lambda: 1\n", "invalid syntax", 1, 6),
        ("f() = 1\n", "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1),
        ("1 = x\n", "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1),
        ("for f() in y: pass\n", "cannot assign to function call", 1, 5),
        ("a, b += 1\n", "'tuple' is an illegal expression for augmented assignment", 1, 1),
        ("*a, *b = c\n", "multiple starred expressions in assignment", 1, 5),
        ("(a, b): int\n", "only single target (not tuple) can be annotated", 1, 1),
        ("if (n := 10) > 5: pass\n", "assignment expressions (':=') are not supported", 1, 7),
        ("x = 1 if y\n", "expected 'else' after 'if' expression", 1, 11),
        ("f(x for x in y, 1)\n", "Generator expression must be parenthesized", 1, 3),
        ("f(a=1, b)\n", "positional argument follows keyword argument", 1, 8),
        ("f(**k, b)\n", "positional argument follows keyword argument unpacking", 1, 8),
        ("f(a.b=1)\n", "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3),
        ("def f(a=1, b): pass\n", "parameter without a default follows parameter with a default", 1, 12),
        ("def f(a, a): pass\n", "duplicate argument 'a' in function definition", 1, 10),
        ("def f(*): pass\n", "named arguments must follow bare *", 1, 7),
        ("def f(**k, a): pass\n", "arguments cannot follow var-keyword argument", 1, 12),
        ("try:\n    x\ny\n", "expected 'except' or 'finally' block", 3, 1),
        ("from x import a,\n", "trailing comma not allowed without surrounding parentheses", 1, 17),
        ("x = 0777\n", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 5),
        ("x = 1_\n", "invalid decimal literal", 1, 5),
        ("x = 12abc\n", "invalid decimal literal", 1, 5),
        ("x = 0x\n", "invalid hexadecimal literal", 1, 5),
        ("x = 1j\n", "imaginary literals are not supported", 1, 5),
        ("x = $\n", "invalid syntax", 1, 5),
        ("x = a € b\n", "invalid character '€' (U+20AC)", 1, 7),
        ("x = \\ y\n", "unexpected character after line continuation character", 1, 5),
        ("x = '\\x4'\n", "(unicode error) truncated \\xXX escape", 1, 5),
        ("x = b'é'\n", "bytes can only contain ASCII literal characters", 1, 5),
        ("x = 'a' b'b'\n", "cannot mix bytes and nonbytes literals", 1, 9),
        ("yield x\n", "'yield' outside function", 1, 1),
        ("class C:\n    yield x\n", "'yield' outside function", 2, 5),
        ("async def f(): pass\n", "'async' is not supported", 1, 1),
        ("[*a for a in b]\n", "iterable unpacking cannot be used in comprehension", 1, 2),
        ("print(*a)\n*a\n", "can't use starred expression here", 2, 1),
        ("x = (*a)\n", "cannot use starred expression here", 1, 6),
        ("x = 1\0\n", "source code cannot contain null bytes", 1, 6),
        ("if x:\n        a\n\tb\n", "inconsistent use of tabs and spaces in indentation", 3, 2),
        ("else:\n    pass\n", "invalid syntax", 1, 1),
        ("def class(): pass\n", "invalid syntax", 1, 5),
        ("x = 1 +", "invalid syntax", 1, 8),
    ] as [(String, String, Int, Int)])
    func reportsMessageAndLocation(source: String, message: String, line: Int, column: Int) {
        #expect(syntaxError(source) == SyntaxError(message, at: loc(line, column)))
    }

    @Test func standaloneExpressionRejectsTrailingTokens() {
        #expect(throws: SyntaxError("invalid syntax", at: loc(1, 3))) { try parseExpression("a b") }
        #expect(throws: SyntaxError("unexpected EOF while parsing", at: loc(1, 1))) { try parseExpression("") }
    }
}
