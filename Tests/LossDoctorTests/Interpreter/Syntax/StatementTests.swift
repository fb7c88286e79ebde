import Testing
@testable import LossDoctor

@Suite struct StatementTests {
    @Test(arguments: [
        ("import a.b as c, d", "(import (as a.b c) d)"),
        ("from a.b import c as d, e", "(from a.b (as c d) e)"),
        ("from . import x", "(from . x)"),
        ("from .mod import f", "(from .mod f)"),
        ("from ...pkg import (a,\n b,)", "(from ...pkg a b)"),
        ("from x import *", "(from x *)"),
        ("a = b = c", "(= (a b) c)"),
        ("a, b = t", "(= ((tuple a b)) t)"),
        ("(a, b) = 1, 2", "(= ((tuple a b)) (tuple 1 2))"),
        ("[a, *rest] = xs", "(= ((list a (* rest))) xs)"),
        ("self.x = y", "(= ((. self x)) y)"),
        ("a[0] = 1", "(= (([] a 0)) 1)"),
        ("x: int = 3", "(: x int 3)"),
        ("x: list[int]", "(: x ([] list int))"),
        ("x += 1; y //= 2; z **= 3", "(+= x 1)\n(//= y 2)\n(**= z 3)"),
        ("a -= 1; b *= 2; c /= 3; d %= 4", "(-= a 1)\n(*= b 2)\n(/= c 3)\n(%= d 4)"),
        ("return", "(return)"),
        ("return a, b", "(return (tuple a b))"),
        ("pass; break; continue", "pass\nbreak\ncontinue"),
        ("assert x > 0, 'msg'", "(assert (> x 0) \"msg\")"),
        ("raise ValueError('bad') from e", "(raise (call ValueError \"bad\") (from e))"),
        ("raise", "(raise)"),
        ("global a, b", "(global a b)"),
        ("nonlocal c", "(nonlocal c)"),
        ("del a, b[0]", "(del a ([] b 0))"),
        ("'''doc'''", "\"doc\""),
        ("f(x)", "(call f x)"),
    ])
    func simpleStatements(source: String, expected: String) throws {
        #expect(try moduleSexp(source) == expected)
    }

    @Test func functionDefinitions() throws {
        let source = """
            @decorator
            @a.b(1, k=2)
            def f(a, b: int = 1, /, c=2, *args: str, d, e=3, **kwargs) -> float:
                return a
            def g(*, key): pass
            """
        #expect(try moduleSexp(source) == """
            (def (@ decorator) (@ (call (. a b) 1 (kw k 2))) f (a (= (: b int) 1) / (= c 2) (* (: args str)) d (= e 3) (** kwargs)) (-> float) ((return a)))
            (def g (* key) (pass))
            """)
    }

    @Test func classDefinitions() throws {
        let source = "class A(Base1, base.Base2, metaclass=M):\n    x = 1\n    def m(self):\n        pass\nclass B: pass\n"
        #expect(try moduleSexp(source) == """
            (class A (Base1 (. base Base2) (kw metaclass M)) ((= (x) 1) (def m (self) (pass))))
            (class B () (pass))
            """)
        guard case .classDef(let definition) = try parseModule(source).statements[0].kind else {
            Issue.record("not a class")
            return
        }
        #expect(definition.bases.map(\.sExpression) == ["Base1", "(. base Base2)"])
    }

    @Test func controlFlow() throws {
        let source = """
            if a:
                x
            elif b:
                y
            else:
                z
            for i, (j, k) in enumerate(p):
                continue
            else:
                pass
            while n > 0:
                n -= 1
            else:
                done()
            """
        #expect(try moduleSexp(source) == """
            (if a (x) ((if b (y) (z))))
            (for (tuple i (tuple j k)) (call enumerate p) (continue) (pass))
            (while (> n 0) ((-= n 1)) ((call done)))
            """)
    }

    @Test func tryAndWithAreParsed() throws {
        let source = """
            try:
                a()
            except (ValueError, KeyError) as e:
                b
            except:
                pass
            else:
                c
            finally:
                d
            try:
                x
            finally:
                y
            with open(p) as f, lock:
                g(f)
            """
        #expect(try moduleSexp(source) == """
            (try ((call a)) (except (tuple ValueError KeyError) (as e) (b)) (except (pass)) (else (c)) (finally (d)))
            (try (x) (finally (y)))
            (with ((as (call open p) f) lock) ((call g f)))
            """)
    }

    @Test func elifIsLocatedAtItsKeyword() throws {
        let module = try parseModule("if a:\n    pass\nelif b:\n    pass\n")
        guard case .if(_, _, let orElse) = module.statements[0].kind else {
            Issue.record("not an if")
            return
        }
        #expect(orElse[0].location == loc(3, 1))
    }
}
