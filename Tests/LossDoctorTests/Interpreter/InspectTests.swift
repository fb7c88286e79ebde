import Testing
@testable import LossDoctor

/// `inspect.signature` as library decorators use it. Expected values were printed by CPython 3.11.7.
@Suite("inspect.signature")
struct InspectTests {
    static let source = """
        import inspect
        from functools import wraps

        def f(a, b=2, *args, c, d=4, **kw):
            return a

        class K:
            def m(self, x, y=1):
                return x

        def renamed(old, new):
            # A decorator in the style of a deprecation helper: it binds each call to read the arguments.
            def decorate(function):
                signature = inspect.signature(function)
                @wraps(function)
                def wrapper(*args, **kwargs):
                    if old in kwargs:
                        kwargs[new] = kwargs.pop(old)
                    bound = signature.bind(*args, **kwargs).arguments
                    for name, parameter in signature.parameters.items():
                        if parameter.kind == inspect.Parameter.VAR_KEYWORD and name in bound:
                            raise TypeError("no keyword arguments here")
                    return function(*args, **kwargs)
                return wrapper
            return decorate

        class Loss:
            @renamed("y_pred", "input")
            def forward(self, input, target):
                return input - target

        s = inspect.signature(f)
        """

    static func text(_ expression: String) throws -> String {
        guard case .string(let s) = try PythonSubsetTests.value("repr(\(expression))", after: source) else { return "<not a string>" }
        return s
    }

    @Test("parameters: names, kinds and defaults, in order; a bound method's lack self")
    func parameters() throws {
        #expect(try Self.text("[(n, int(p.kind), p.default is inspect.Parameter.empty) for n, p in s.parameters.items()]")
                == "[('a', 1, True), ('b', 1, False), ('args', 2, True), ('c', 3, True), ('d', 3, False), ('kw', 4, True)]")
        #expect(try Self.text("list(inspect.signature(K().m).parameters)") == "['x', 'y']")
    }

    @Test("bind: arguments in parameter order without defaults until apply_defaults; args and kwargs")
    func bind() throws {
        let call = "s.bind(1, 5, 6, c=3, z=9)"
        #expect(try Self.text("list(\(call).arguments)") == "['a', 'b', 'args', 'c', 'kw']")
        #expect(try Self.text("dict(\(call).arguments)") == "{'a': 1, 'b': 5, 'args': (6,), 'c': 3, 'kw': {'z': 9}}")
        #expect(try Self.text("[\(call).arguments[k] for k in ['a', 'b', 'args', 'c']]") == "[1, 5, (6,), 3]")
        #expect(try Self.text("\(call).arguments['kw']['z']") == "9")
        #expect(try Self.text("\(call).args") == "(1, 5, 6)")
        #expect(try Self.text("list(\(call).kwargs.items())") == "[('c', 3), ('z', 9)]")
        let applied = Self.source + "\nb = \(call)\nb.apply_defaults()\n"
        #expect(try PythonSubsetTests.text("repr(list(b.arguments))", after: applied) == "['a', 'b', 'args', 'c', 'd', 'kw']")
        #expect(try PythonSubsetTests.text("repr(b.arguments['d'])", after: applied) == "4")
    }

    @Test("bind raises Python's TypeError for a missing or doubled argument", arguments: [
        ("s.bind(1)", "missing a required argument: 'c'"), ("s.bind(1, c=1, b=2, a=3)", "multiple values for argument 'a'"),
    ])
    func bindErrors(expression: String, message: String) {
        #expect(throws: InterpreterError.self) { try Self.text(expression) }
        do { _ = try Self.text(expression) } catch let error as InterpreterError {
            #expect(error.message.hasSuffix(message), "\(error.message)")
        } catch {}
    }

    @Test("a decorator that binds each call forwards it, the renamed keyword included")
    func bindingDecorator() throws {
        #expect(try Self.text("Loss().forward(5, 2)") == "3")
        #expect(try Self.text("Loss().forward(y_pred=5, target=2)") == "3")
    }

    @Test("a loss class whose forward such a decorator wraps (twice) is found by the wrapped signature and analysed")
    func decoratedForwardIsALoss() {
        let source = Self.source + """

            import torch

            class WrappedDice(torch.nn.Module):
                @renamed("y_pred", "input")
                @renamed("y_true", "target")
                def forward(self, input, target):
                    p = torch.sigmoid(input)
                    inter = (p * target).sum()
                    return 1 - (2 * inter + 1) / (p.sum() + target.sum() + 1)
            """
        let result = checkSource(source, function: "WrappedDice")
        #expect(result.reports.count == 1)
        #expect(result.fileErrors.isEmpty && !result.allFindings.contains { $0.code.hasPrefix("LD6") || $0.code.hasPrefix("LD9") },
                "\(result.allFindings.map(\.message))")
    }
}
