/// A parsed source file.
struct Module: Sendable, Equatable {
    /// The top-level statements in source order.
    var statements: [Stmt]
    /// Every `#` comment in the file, for suppression markers like `# noqa: LD101`.
    var comments: [Comment]

    /// Creates a module.
    init(statements: [Stmt], comments: [Comment]) {
        self.statements = statements
        self.comments = comments
    }
}

// MARK: - Expressions

/// An expression node: what it is plus the location of its first character
/// (for `(a) + b` that is the `(`, as in CPython).
struct Expr: Sendable, Equatable {
    /// The node's kind and children.
    var kind: ExprKind
    /// The location of the expression's first character.
    var location: SourcePosition

    /// Creates an expression node.
    init(_ kind: ExprKind, at location: SourcePosition) {
        self.kind = kind
        self.location = location
    }
}

/// The kinds of expression.
indirect enum ExprKind: Sendable, Equatable {
    /// A variable reference.
    case name(String)
    /// An integer literal: source text, and value when it fits in `Int`.
    case integer(text: String, value: Int?)
    /// A float literal.
    case float(Double)
    /// One or more adjacent string literals, concatenated (f-string parts keep their raw text).
    case string(StringLiteral)
    /// `True` or `False`.
    case boolean(Bool)
    /// `None`.
    case none
    /// `...`.
    case ellipsis
    /// A binary arithmetic or bitwise operation; `operatorLocation` is the operator token's location.
    case binary(BinaryOperator, Expr, Expr, operatorLocation: SourcePosition)
    /// A unary operation (`-x`, `+x`, `~x`, `not x`); the node's location is the operator's.
    case unary(UnaryOperator, Expr)
    /// `and` / `or`, left-associative and binary; `operatorLocation` is the keyword's location.
    case logical(LogicalOperator, Expr, Expr, operatorLocation: SourcePosition)
    /// A possibly chained comparison `a < b <= c`.
    case compare(Expr, [ComparisonClause])
    /// `body if test else orElse`.
    case conditional(test: Expr, body: Expr, orElse: Expr)
    /// `lambda parameters: body`.
    case lambda(Parameters, body: Expr)
    /// A call; the callee and every argument keep their own locations.
    case call(callee: Expr, arguments: [Argument])
    /// `value.name`; `nameLocation` is the attribute name's location.
    case attribute(Expr, name: String, nameLocation: SourcePosition)
    /// `value[index]`; several indices form a `.tuple`, slices appear as `.slice`.
    case `subscript`(Expr, index: Expr)
    /// `lower:upper:step` inside a subscript.
    case slice(lower: Expr?, upper: Expr?, step: Expr?)
    /// A tuple display, with or without parentheses.
    case tuple([Expr])
    /// A list display.
    case list([Expr])
    /// A set display.
    case set([Expr])
    /// A dict display.
    case dict([DictEntry])
    /// `*value` in a display, call or assignment target.
    case starred(Expr)
    /// `[element for ...]`.
    case listComprehension(Expr, [Comprehension])
    /// `{element for ...}`.
    case setComprehension(Expr, [Comprehension])
    /// `{key: value for ...}`.
    case dictComprehension(key: Expr, value: Expr, [Comprehension])
    /// `(element for ...)`, also as the sole argument of a call.
    case generator(Expr, [Comprehension])
    /// `yield value` or `yield from value`: parsed, so that a module with a generator method (a library's
    /// `__iter__`) can be imported, and unsupported (LD901) only where it is evaluated.
    case yield(Expr?, from: Bool)
}

/// Binary arithmetic and bitwise operators.
enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%"
    case power = "**", matrixMultiply = "@", leftShift = "<<", rightShift = ">>"
    case bitwiseAnd = "&", bitwiseOr = "|", bitwiseXor = "^"
}

/// Unary operators.
enum UnaryOperator: String, Sendable, CaseIterable {
    case negate = "-", plus = "+", invert = "~", not = "not"
}

/// Short-circuit boolean operators.
enum LogicalOperator: String, Sendable, CaseIterable {
    case and, or
}

/// ComparisonClause operators.
enum ComparisonOperator: String, Sendable, CaseIterable {
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case `in` = "in", notIn = "not in", `is` = "is", isNot = "is not"
}

/// One link of a comparison chain: the operator (and where it is) and the right operand.
struct ComparisonClause: Sendable, Equatable {
    /// The comparison operator.
    var op: ComparisonOperator
    /// The location of the operator's first token.
    var operatorLocation: SourcePosition
    /// The right-hand operand.
    var right: Expr

    /// Creates a comparison link.
    init(op: ComparisonOperator, operatorLocation: SourcePosition, right: Expr) {
        self.op = op
        self.operatorLocation = operatorLocation
        self.right = right
    }
}

/// A call argument with the location of its first character (the `*`, `**` or keyword name if any).
struct Argument: Sendable, Equatable {
    /// The argument's form and value.
    var kind: ArgumentKind
    /// The location of the argument's first character.
    var location: SourcePosition

    /// Creates an argument.
    init(_ kind: ArgumentKind, at location: SourcePosition) {
        self.kind = kind
        self.location = location
    }

    /// The argument's value expression, whatever its form.
    var value: Expr {
        switch kind {
        case .positional(let value), .keyword(_, let value), .unpackedSequence(let value), .unpackedMapping(let value):
            return value
        }
    }
}

/// The forms a call argument can take.
enum ArgumentKind: Sendable, Equatable {
    /// `f(value)`.
    case positional(Expr)
    /// `f(name=value)`; the argument's location is the name's.
    case keyword(name: String, Expr)
    /// `f(*value)`.
    case unpackedSequence(Expr)
    /// `f(**value)`.
    case unpackedMapping(Expr)
}

/// One entry of a dict display.
enum DictEntry: Sendable, Equatable {
    /// `key: value`.
    case pair(key: Expr, value: Expr)
    /// `**mapping`.
    case unpack(Expr)
}

/// A `for target in iterable if condition ...` clause of a comprehension.
struct Comprehension: Sendable, Equatable {
    /// The loop target (a name or tuple of targets).
    var target: Expr
    /// The iterated expression.
    var iterable: Expr
    /// The `if` filters, in order.
    var conditions: [Expr]
    /// The location of the `for` keyword.
    var location: SourcePosition

    /// Creates a comprehension clause.
    init(target: Expr, iterable: Expr, conditions: [Expr], location: SourcePosition) {
        self.target = target
        self.iterable = iterable
        self.conditions = conditions
        self.location = location
    }
}

/// A function or lambda parameter.
struct Parameter: Sendable, Equatable {
    /// The parameter name.
    var name: String
    /// The annotation after `:` (never present for lambdas).
    var annotation: Expr?
    /// The default value after `=`.
    var defaultValue: Expr?
    /// The location of the name.
    var location: SourcePosition

    /// Creates a parameter.
    init(name: String, annotation: Expr?, defaultValue: Expr?, location: SourcePosition) {
        self.name = name
        self.annotation = annotation
        self.defaultValue = defaultValue
        self.location = location
    }
}

/// The parameter list of a `def` or `lambda`.
struct Parameters: Sendable, Equatable {
    /// Parameters before `*`/`*args`, including positional-only ones.
    var positional: [Parameter] = []
    /// How many leading `positional` entries came before a `/` marker.
    var positionalOnlyCount = 0
    /// The `*args` parameter, if any.
    var variadic: Parameter?
    /// Parameters after `*` or `*args`.
    var keywordOnly: [Parameter] = []
    /// The `**kwargs` parameter, if any.
    var keywordVariadic: Parameter?

    /// Creates an empty parameter list.
    init() {}
}

// MARK: - Statements

/// A statement node: what it is plus the location of its first token
/// (for decorated definitions, the `def`/`class` keyword).
struct Stmt: Sendable, Equatable {
    /// The statement's kind and children.
    var kind: StmtKind
    /// The location of the statement's first token.
    var location: SourcePosition

    /// Creates a statement node.
    init(_ kind: StmtKind, at location: SourcePosition) {
        self.kind = kind
        self.location = location
    }
}

/// The kinds of statement.
indirect enum StmtKind: Sendable, Equatable {
    /// An expression evaluated for its effect (also docstrings).
    case expression(Expr)
    /// `t1 = t2 = value`; targets in source order.
    case assign(targets: [Expr], value: Expr)
    /// `target op= value`; `operatorLocation` is the location of the `op=` token.
    case augmentedAssign(target: Expr, BinaryOperator, value: Expr, operatorLocation: SourcePosition)
    /// `target: annotation [= value]`.
    case annotatedAssign(target: Expr, annotation: Expr, value: Expr?)
    /// A `def`.
    case functionDef(FunctionDef)
    /// A `class`.
    case classDef(ClassDef)
    /// `return [value]`.
    case `return`(Expr?)
    /// `pass`.
    case pass
    /// `break`.
    case `break`
    /// `continue`.
    case `continue`
    /// `if test: body else: orElse`; an `elif` is a nested `.if` (located at `elif`) in `orElse`.
    case `if`(test: Expr, body: [Stmt], orElse: [Stmt])
    /// `for target in iterable: body else: orElse`.
    case `for`(target: Expr, iterable: Expr, body: [Stmt], orElse: [Stmt])
    /// `while test: body else: orElse`.
    case `while`(test: Expr, body: [Stmt], orElse: [Stmt])
    /// `try` with handlers, `else` and `finally`.
    case `try`(body: [Stmt], handlers: [ExceptHandler], orElse: [Stmt], finally: [Stmt])
    /// `with item, ...: body`.
    case with(items: [WithItem], body: [Stmt])
    /// `assert test[, message]`.
    case assert(test: Expr, message: Expr?)
    /// `raise [exception [from cause]]`.
    case raise(exception: Expr?, cause: Expr?)
    /// `global a, b`.
    case global([String])
    /// `nonlocal a, b`.
    case nonlocal([String])
    /// `del a, b[0]`.
    case delete([Expr])
    /// `import a.b as c, d`.
    case `import`([ImportAlias])
    /// `from ..module import a as b`; `module` is nil for `from . import x`, `level` counts the dots.
    case importFrom(module: String?, names: [ImportAlias], level: Int)
}

/// A `def` statement.
struct FunctionDef: Sendable, Equatable {
    /// The function name.
    var name: String
    /// The location of the name.
    var nameLocation: SourcePosition
    /// The parameter list.
    var parameters: Parameters
    /// The `-> annotation`, if any.
    var returnAnnotation: Expr?
    /// The body statements.
    var body: [Stmt]
    /// The decorator expressions, top to bottom.
    var decorators: [Expr]

    /// Creates a function definition.
    init(
        name: String, nameLocation: SourcePosition, parameters: Parameters, returnAnnotation: Expr?,
        body: [Stmt], decorators: [Expr]
    ) {
        self.name = name
        self.nameLocation = nameLocation
        self.parameters = parameters
        self.returnAnnotation = returnAnnotation
        self.body = body
        self.decorators = decorators
    }
}

/// A `class` statement.
struct ClassDef: Sendable, Equatable {
    /// The class name.
    var name: String
    /// The location of the name.
    var nameLocation: SourcePosition
    /// The parenthesised bases and keywords (e.g. `metaclass=`), as call arguments.
    var arguments: [Argument]
    /// The body statements.
    var body: [Stmt]
    /// The decorator expressions, top to bottom.
    var decorators: [Expr]

    /// Creates a class definition.
    init(name: String, nameLocation: SourcePosition, arguments: [Argument], body: [Stmt], decorators: [Expr]) {
        self.name = name
        self.nameLocation = nameLocation
        self.arguments = arguments
        self.body = body
        self.decorators = decorators
    }

    /// The positional base-class expressions.
    var bases: [Expr] {
        arguments.compactMap { if case .positional(let base) = $0.kind { base } else { nil } }
    }
}

/// An `except [type [as name]]:` clause.
struct ExceptHandler: Sendable, Equatable {
    /// The exception type expression, nil for a bare `except:`.
    var type: Expr?
    /// The `as` name.
    var name: String?
    /// The handler body.
    var body: [Stmt]
    /// The location of the `except` keyword.
    var location: SourcePosition

    /// Creates an exception handler.
    init(type: Expr?, name: String?, body: [Stmt], location: SourcePosition) {
        self.type = type
        self.name = name
        self.body = body
        self.location = location
    }
}

/// One `expression [as target]` item of a `with` statement.
struct WithItem: Sendable, Equatable {
    /// The context manager expression.
    var context: Expr
    /// The `as` target.
    var target: Expr?

    /// Creates a with-item.
    init(context: Expr, target: Expr?) {
        self.context = context
        self.target = target
    }
}

/// A name in an `import` or `from ... import` statement.
struct ImportAlias: Sendable, Equatable {
    /// The (dotted) imported name, or `*`.
    var name: String
    /// The `as` name.
    var asName: String?
    /// The location of the name's first token.
    var location: SourcePosition

    /// Creates an import alias.
    init(name: String, asName: String?, location: SourcePosition) {
        self.name = name
        self.asName = asName
        self.location = location
    }
}
