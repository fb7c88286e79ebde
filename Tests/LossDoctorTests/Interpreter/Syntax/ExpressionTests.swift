import Testing
@testable import LossDoctor

@Suite struct ExpressionTests {
    @Test(arguments: [
        ("-x**2", "(- (** x 2))"),
        ("2**-1", "(** 2 (- 1))"),
        ("2**3**2", "(** 2 (** 3 2))"),
        ("a + b * c", "(+ a (* b c))"),
        ("a - b - c", "(- (- a b) c)"),
        ("a // b % c @ d", "(@ (% (// a b) c) d)"),
        ("(a + b) * c", "(* (+ a b) c)"),
        ("a | b ^ c & d << e + f", "(| a (^ b (& c (<< d (+ e f)))))"),
        ("~a >> 1", "(>> (~ a) 1)"),
        ("not a == b", "(not (== a b))"),
        ("not not a", "(not (not a))"),
        ("a or b and not c", "(or a (and b (not c)))"),
        ("a and b or c and d", "(or (and a b) (and c d))"),
        ("a < b < c", "(compare a < b < c)"),
        ("a not in b", "(not in a b)"),
        ("a is not None", "(is not a None)"),
        ("x in y is z", "(compare x in y is z)"),
        ("a if c else b", "(if c a b)"),
        ("a if c else b if d else e", "(if c a (if d b e))"),
        ("lambda: 0", "(lambda () 0)"),
        ("lambda x, y=1, *a, k, **kw: x + y", "(lambda (x (= y 1) (* a) k (** kw)) (+ x y))"),
        ("lambda x: a if x else b", "(lambda (x) (if x a b))"),
        ("- - x", "(- (- x))"),
        ("+x * -y", "(* (+ x) (- y))"),
        ("a.b.c", "(. (. a b) c)"),
        ("f(x)(y)[0].z", "(. ([] (call (call f x) y) 0) z)"),
        ("-a.b ** 2", "(- (** (. a b) 2))"),
    ])
    func precedence(source: String, expected: String) throws {
        #expect(try sexp(source) == expected)
    }

    @Test(arguments: [
        ("a[1:2]", "([] a (slice 1 2 _))"),
        ("a[:, 0]", "([] a (tuple (slice _ _ _) 0))"),
        ("a[..., None]", "([] a (tuple ... None))"),
        ("a[::2]", "([] a (slice _ _ 2))"),
        ("a[1:-1, :, None]", "([] a (tuple (slice 1 (- 1) _) (slice _ _ _) None))"),
        ("a[i, j]", "([] a (tuple i j))"),
        ("a[1:]", "([] a (slice 1 _ _))"),
        ("a[:2:]", "([] a (slice _ 2 _))"),
        ("a[0,]", "([] a (tuple 0))"),
    ])
    func subscripts(source: String, expected: String) throws {
        #expect(try sexp(source) == expected)
    }

    @Test(arguments: [
        ("()", "(tuple)"),
        ("(1,)", "(tuple 1)"),
        ("1, 2", "(tuple 1 2)"),
        ("(a, *b)", "(tuple a (* b))"),
        ("[]", "(list)"),
        ("[1, 2,]", "(list 1 2)"),
        ("{}", "(dict)"),
        ("{'a': 1, **d}", "(dict (\"a\" 1) (** d))"),
        ("{1, 2}", "(set 1 2)"),
        ("[x * 2 for x in xs if x if y]", "(listcomp (* x 2) (for x xs (if x) (if y)))"),
        ("[i + j for i in a for j, k in b]", "(listcomp (+ i j) (for i a) (for (tuple j k) b))"),
        ("{k: v for k, v in d.items()}", "(dictcomp k v (for (tuple k v) (call (. d items))))"),
        ("{x for x in s}", "(setcomp x (for x s))"),
        ("(x for x in y)", "(genexp x (for x y))"),
        ("sum(x for x in y)", "(call sum (genexp x (for x y)))"),
        ("f(a, *args, k=1, **kw)", "(call f a (* args) (kw k 1) (** kw))"),
        ("f(a=1, *b)", "(call f (kw a 1) (* b))"),
        ("None, True, False, ...", "(tuple None True False ...)"),
        ("'a' \"b\" '''c'''", "\"abc\""),
        ("b'a' b'b'", "b\"ab\""),
        ("'a' f'{b}'", "f\"a{b}\""),
        ("1.5e3", "1500.0"),
    ])
    func atomsAndDisplays(source: String, expected: String) throws {
        #expect(try sexp(source) == expected)
    }

    @Test func callKeepsCalleeAndArgumentLocations() throws {
        let expr = try parseExpression("K.sum(x, axis=-1, *r, **k)")
        guard case .call(let callee, let arguments) = expr.kind else {
            Issue.record("not a call")
            return
        }
        #expect(callee.location == loc(1, 1))
        #expect(arguments.map(\.location) == [loc(1, 7), loc(1, 10), loc(1, 19), loc(1, 23)])
        #expect(arguments[1].kind == .keyword(name: "axis", Expr(.unary(.negate, Expr(.integer(text: "1", value: 1), at: loc(1, 16))), at: loc(1, 15))))
    }
}
