import Testing
@testable import LossDoctor

@Suite struct LocationTests {
    /// Finds the first binary node with `op` anywhere in an expression (depth-first).
    func findBinary(_ op: BinaryOperator, in expr: Expr) -> Expr? {
        switch expr.kind {
        case .binary(let found, let left, let right, _):
            if found == op { return expr }
            return findBinary(op, in: left) ?? findBinary(op, in: right)
        case .unary(_, let operand): return findBinary(op, in: operand)
        case .call(let callee, let arguments):
            return findBinary(op, in: callee) ?? arguments.lazy.compactMap { self.findBinary(op, in: $0.value) }.first
        default: return nil
        }
    }

    func returnValue(_ stmt: Stmt) -> Expr? {
        switch stmt.kind {
        case .return(let value): return value
        case .functionDef(let definition): return definition.body.lazy.compactMap(returnValue).first
        default: return nil
        }
    }

    @Test func floorDivisionOperatorLocation() throws {
        let line6 = "    return (2 * i + 1) // (s + 1)"
        let source = "def f(i, s):\n    x = 1\n    y = 2\n\n    # comment\n" + line6 + "\n"
        let module = try parseModule(source)
        let value = try #require(module.statements.lazy.compactMap(returnValue).first)
        guard case .binary(.floorDivide, let left, let right, let operatorLocation) = value.kind else {
            Issue.record("expected //, got \(value.sExpression)")
            return
        }
        // 4 spaces + "return " puts "(" at column 12; "(2 * i + 1) " is 12 scalars wide, so "//" is at 24.
        #expect(operatorLocation == loc(6, 24))
        #expect(column(of: "//", in: line6) == 24)
        #expect(value.location == loc(6, 12))  // the node starts at the "(" of its left operand
        #expect(left.location == loc(6, 13))  // the inner "2 * i + 1" starts inside the parentheses
        #expect(right.location == loc(6, 28))
        guard case .binary(.add, _, _, let plusLocation) = left.kind else {
            Issue.record("expected +")
            return
        }
        #expect(plusLocation == loc(6, 19))
    }

    @Test func kerasFixtureOperatorLocation() throws {
        let module = try parseModule(Fixtures.kerasDice)
        let value = try #require(returnValue(module.statements[1]))
        let line7 = "    return (2 * intersection + 1) // (K.sum(y_true_f) + K.sum(y_pred_f) + 1)"
        guard case .binary(.floorDivide, _, _, let operatorLocation) = value.kind else {
            Issue.record("expected //")
            return
        }
        #expect(operatorLocation == loc(7, 35))
        #expect(column(of: "//", in: line7) == 35)
    }

    @Test func columnsCountUnicodeScalars() throws {
        // "é" and "😀" are one scalar each; the tab is one column.
        let expr = try parseExpression("'é😀'\t+ x")
        guard case .binary(.add, _, let right, let operatorLocation) = expr.kind else {
            Issue.record("expected +")
            return
        }
        #expect(operatorLocation == loc(1, 6))
        #expect(right.location == loc(1, 8))
    }

    @Test func continuationLinesKeepPhysicalLocations() throws {
        let module = try parseModule("y = (a +\n     b) * \\\n  c\n")
        guard case .assign(_, let value) = module.statements[0].kind,
              case .binary(.multiply, let left, let right, let star) = value.kind,
              case .binary(.add, _, let b, _) = left.kind else {
            Issue.record("unexpected shape")
            return
        }
        #expect(star == loc(2, 9))
        #expect(b.location == loc(2, 6))
        #expect(right.location == loc(3, 3))
    }

    @Test func statementAndNameLocations() throws {
        let source = "@dec\ndef  loss(y, *, k=1):\n    self.total += y ** 2\n"
        let module = try parseModule(source)
        let statement = module.statements[0]
        #expect(statement.location == loc(2, 1))
        guard case .functionDef(let definition) = statement.kind,
              case .augmentedAssign(let target, .add, let value, let plusEqual) = definition.body[0].kind,
              case .attribute(_, "total", let nameLocation) = target.kind,
              case .binary(.power, _, _, let power) = value.kind else {
            Issue.record("unexpected shape")
            return
        }
        #expect(definition.nameLocation == loc(2, 6))
        #expect(definition.decorators[0].location == loc(1, 2))
        #expect(definition.parameters.positional[0].location == loc(2, 11))
        #expect(definition.parameters.keywordOnly[0].location == loc(2, 17))
        #expect(definition.body[0].location == loc(3, 5))
        #expect(nameLocation == loc(3, 10))
        #expect(plusEqual == loc(3, 16))
        #expect(value.location == loc(3, 19))
        #expect(power == loc(3, 21))
    }

    @Test func comparisonAndLogicalOperatorLocations() throws {
        let expr = try parseExpression("a is not b and c not in d")
        guard case .logical(.and, let left, let right, let andLocation) = expr.kind,
              case .compare(_, let first) = left.kind,
              case .compare(_, let second) = right.kind else {
            Issue.record("unexpected shape")
            return
        }
        #expect(andLocation == loc(1, 12))
        #expect(first[0].operatorLocation == loc(1, 3))
        #expect(second[0].operatorLocation == loc(1, 18))
    }
}
