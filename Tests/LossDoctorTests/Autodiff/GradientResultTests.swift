import Testing
@testable import LossDoctor

/// Gradient classes and `GradientResult` states: missing (a cut), zero (a zeroing op), non-finite,
/// healthy; and the frameworks' semantics from shared/notes/framework-facts.md (measured on
/// TensorFlow 2.21 and PyTorch 2.15 with x = [0.2, 0.7, 1.3, 2.6], differentiating sum(op(x))).
struct GradientResultTests {
    /// The inputs framework-facts.md measured with.
    static let facts: [Float] = [0.2, 0.7, 1.3, 2.6]

    static func x() -> Tensor { Engine.variable(facts) }

    // MARK: missing: no differentiable path (TensorFlow `None`)

    @Test("framework-facts.md: x // c has no gradient: missing, cut by `//`")
    func floorDivision() throws {
        let x = Self.x()
        let result = try x.floorDivided(by: 2).sum().gradient(withRespectTo: x)
        #expect(result.state == .missing)
        #expect(result.values == nil)
        #expect(result.norm == 0)
        #expect(result.cuts.map(\.op) == ["//"])
        #expect(result.cuts.first?.gradientClass == .cut)
        #expect(result.cuts.first?.pytorch == "RuntimeError: derivative for aten::floor_divide is not implemented")
    }

    @Test("framework-facts.md: cast(x > 0.5, float) has no gradient: missing, cut by `>`")
    func thresholdCast() throws {
        let x = Self.x()
        let result = try x.compare(.greater, 0.5).cast(.float32).sum().gradient(withRespectTo: x)
        #expect(result.state == .missing)
        #expect(result.cuts.map(\.op) == [">"])
    }

    @Test("framework-facts.md: cast to an integer type cuts", arguments: [DType.int32, .int64, .uint8, .bool])
    func integerCast(_ type: DType) throws {
        let x = Self.x()
        let result = try x.cast(type).cast(.float32).sum().gradient(withRespectTo: x)
        #expect(result.state == .missing)
        #expect(result.cuts.map(\.op) == ["cast(\(type.rawValue))"])
        #expect(try x.cast(.float64).sum().gradient(withRespectTo: x).state == .healthy)
    }

    @Test("framework-facts.md: stop_gradient / detach gives no gradient: missing, cut by stop_gradient")
    func stopGradient() throws {
        let x = Self.x()
        let result = try x.stopGradient().sum().gradient(withRespectTo: x)
        #expect(result.state == .missing)
        #expect(result.cuts.map(\.op) == ["stop_gradient"])
    }

    @Test("framework-facts.md: argmax then cast has no gradient")
    func argmaxCut() throws {
        let x = Self.x()
        let result = try x.argmax().cast(.float32).sum().gradient(withRespectTo: x)
        #expect(result.state == .missing)
        #expect(result.cuts.map(\.op) == ["argmax"])
    }

    @Test("a loss that never touches the variable is missing with no cut")
    func unrelated() throws {
        let x = Self.x()
        let result = try Engine.constant([1, 2]).sum().gradient(withRespectTo: x)
        #expect(result.state == .missing)
        #expect(result.cuts.isEmpty)
    }

    // MARK: zero: a path exists, every component is 0

    @Test("framework-facts.md: round, floor, ceil, sign give zeros, and the zeroing op is named",
          arguments: ["round", "floor", "ceil", "sign"])
    func zeroAlmostEverywhere(_ name: String) throws {
        let x = Self.x()
        let op: Tensor = switch name {
        case "round": try x.rounded()
        case "floor": try x.floor()
        case "ceil": try x.ceil()
        default: try x.sign()
        }
        #expect(op.op?.gradientClass == .zeroAlmostEverywhere)
        let result = try (op * 3).sum().gradient(withRespectTo: x)
        #expect(result.state == .zero)
        #expect(result.values == [0, 0, 0, 0])
        #expect(result.zeroing.map(\.op) == [name])
        #expect(result.cuts.isEmpty)
    }

    @Test("framework-facts.md: a clip that is always active passes no gradient: zero, zeroing op clip")
    func clipAlwaysActive() throws {
        let x = Self.x()
        let result = try x.clipped(3, 4).sum().gradient(withRespectTo: x)
        #expect(result.state == .zero)
        #expect(result.zeroing.map(\.op) == ["clip"])
    }

    // MARK: non-finite

    @Test("log(0) gives an infinite gradient: non-finite, first at log")
    func logOfZero() throws {
        let x = Engine.variable([0, 0.5, 1])
        let result = try x.log().sum().gradient(withRespectTo: x)
        #expect(result.state == .nonFinite)
        #expect(result.values?[0] == .infinity)
        #expect(result.values?[1] == 2)
        #expect(result.norm.isInfinite)
        #expect(result.firstNonFinite?.op == "log")
        #expect(try x.log().scalars[0] == -.infinity)
    }

    @Test("sqrt(0) gives an infinite gradient, first at sqrt")
    func sqrtOfZero() throws {
        let x = Engine.variable([0, 4])
        let result = try (x.sqrt() * 2).sum().gradient(withRespectTo: x)
        #expect(result.state == .nonFinite)
        #expect(result.firstNonFinite?.op == "sqrt")
    }

    @Test("firstNonFiniteOp names the op that made NaN from finite inputs: 0/0 is `/`")
    func firstNonFiniteOp() throws {
        let x = Engine.variable([0, 1])
        let zero = try x * 0
        let ratio = try zero / zero
        #expect(ratio.scalars[0].isNaN)
        #expect(try ratio.exp().sum().firstNonFiniteOp()?.op == "/")
        #expect(try x.exp().sum().firstNonFiniteOp() == nil)
        #expect(try (x.log() * 2).firstNonFiniteOp()?.op == "log")
    }

    // MARK: healthy, and the frameworks' choices at kinks

    @Test("a healthy gradient reports its Euclidean norm")
    func healthy() throws {
        let x = Self.x()
        let result = try (x * x).sum().gradient(withRespectTo: x)
        #expect(result.state == .healthy)
        #expect(result.values == Self.facts.map { 2 * $0 })
        let expected = Self.facts.reduce(0.0) { $0 + Double(2 * $1) * Double(2 * $1) }.squareRoot()
        #expect(Swift.abs(result.norm - expected) < 1e-9)
        #expect(result.firstNonFinite == nil)
    }

    @Test("framework-facts.md: x % 1.0 has gradient ones")
    func moduloOne() throws {
        let x = Self.x()
        #expect(try Engine.gradient(x % 1.0, x) == [1, 1, 1, 1])
    }

    @Test("framework-facts.md: clip_by_value(x, 0.5, 1) / clamp passes 1 inside the closed range, 0 outside")
    func clipRange() throws {
        let x = Self.x()
        #expect(try Engine.gradient(x.clipped(0.5, 1), x) == [0, 1, 0, 0])
        // The bounds themselves are inside (torch.clamp(x, 0.7, 1.3) gives [0, 1, 1, 0] in torch 2.13).
        #expect(try Engine.gradient(x.clipped(0.7, 1.3), x) == [0, 1, 1, 0])
    }

    @Test("framework-facts.md: abs(x - 0.7) at the kink has gradient 0")
    func absoluteKink() throws {
        let x = Self.x()
        #expect(try Engine.gradient((x - 0.7).abs(), x) == [-1, 0, 1, 1])
    }

    @Test("framework-facts.md: maximum(x, 0.7) at a tie gives 0.5 to each side (PyTorch, not TensorFlow's 1)")
    func maximumTie() throws {
        let x = Self.x()
        let c = Tensor.variable(shape: [], scalars: [0.7])
        let grads = try Tensor.maximum(x, c).sum().gradients(withRespectTo: [x, c])
        #expect(grads[0] == [0, 0.5, 1, 1])
        #expect(grads[1] == [1.5])
        let y = Engine.variable([0.2, 0.7, 1.3, 2.6])
        let both = try Tensor.maximum(x, y).sum().gradients(withRespectTo: [x, y])
        #expect(both[0] == [0.5, 0.5, 0.5, 0.5])
        #expect(both[1] == [0.5, 0.5, 0.5, 0.5])
    }

    @Test("minimum(x, 0.7) at a tie gives 0.5 to each side (torch 2.13: [1, 0.5, 0, 0])")
    func minimumTie() throws {
        let x = Self.x()
        #expect(try Engine.gradient(Tensor.minimum(x, 0.7), x) == [1, 0.5, 0, 0])
    }

    @Test("framework-facts.md: a dead term added to a healthy one leaves the sum healthy but records the cut")
    func deadTermInSum() throws {
        let y = Engine.constant([0, 1, 1, 0])
        let p = Engine.variable([0.2, 0.7, 0.9, 0.1])
        let bce = try -(y * p.log() + (1 - y) * (1 - p).log()).mean()
        let dice = try 1 - (2 * (y * p).sum() + 1).floorDivided(by: y.sum() + p.sum() + 1)
        let result = try (bce + dice).gradient(withRespectTo: p)
        #expect(result.state == .healthy)
        #expect(result.cuts.map(\.op) == ["//"])
        #expect(try dice.gradient(withRespectTo: p).state == .missing)
    }

    @Test("framework-facts.md: the seed's Dice with `//` is 0 only for a perfect prediction, 1 for p = 0.99 y")
    func seedDice() throws {
        let y = Engine.constant((0..<64).map { [9, 10, 17, 18].contains($0) ? 1 : 0 }, [1, 8, 8, 1])
        func seed(_ p: Tensor) throws -> Tensor {
            try 1 - (2 * (y * p).sum() + 1).floorDivided(by: y.sum() + p.sum() + 1)
        }
        #expect(try seed(Tensor.variable(shape: y.shape, scalars: y.scalars)).scalars == [0])
        let almost = Tensor.variable(shape: y.shape, scalars: y.scalars.map { 0.99 * $0 })
        #expect(try seed(almost).scalars == [1])
        #expect(try seed(almost).gradient(withRespectTo: almost).state == .missing)
    }

    @Test("framework-facts.md: float32 sigmoid(z) is exactly 1 for z >= 16.7, so log(1 - sigmoid(z)) is -inf")
    func sigmoidSaturates() throws {
        let z = Engine.variable([16.6, 16.7, 17])
        #expect(try z.sigmoid().scalars.map { $0 == 1 } == [false, true, true])
        #expect(try (1 - z.sigmoid()).log().scalars[2] == -.infinity)
        // The stable forms stay finite.
        #expect(try (-z).logSigmoid().scalars.allSatisfy(\.isFinite))
        #expect(Engine.close(try (-z).logSigmoid().scalars, [-16.6, -16.7, -17], tolerance: 1e-5))
    }

    @Test("gradient classes of the op table")
    func classes() {
        #expect(Op.floorDivide.gradientClass == .cut)
        #expect(Op.compare(.greater).gradientClass == .cut)
        #expect(Op.cast(.int32).gradientClass == .cut)
        #expect(Op.cast(.float16).gradientClass == .smooth)
        #expect(Op.stopGradient.gradientClass == .cut)
        #expect(Op.oneHot(depth: 2).gradientClass == .cut)
        #expect(Op.round.gradientClass == .zeroAlmostEverywhere)
        #expect(Op.modulo.gradientClass == .smooth)
        #expect(Op.select.passesGradient(toInput: 0) == false)
        #expect(Op.select.passesGradient(toInput: 1))
    }

    @Test("a variable used twice accumulates both paths; gradients() gives nil where there is no path")
    func accumulation() throws {
        let x = Engine.variable([1, 2, 3])
        let unused = Engine.variable([5])
        let y = try x * x + x.exp() * x
        let grads = y.gradients(withRespectTo: [x, unused])
        let e = try Engine.constant([1, 2, 3]).exp().scalars
        let expected: [Float] = [2 + 2 * e[0], 4 + 3 * e[1], 6 + 4 * e[2]]
        #expect(Engine.close(grads[0] ?? [], expected, tolerance: 1e-5))
        #expect(grads[1] == nil)
        // A second backward pass over the same graph starts from scratch.
        #expect(Engine.close(y.gradients(withRespectTo: [x])[0] ?? [], expected, tolerance: 1e-5))
    }
}
