import Testing
@testable import LossDoctor

/// Elementwise forward semantics that must match the frameworks bit for bit: rounding, casts,
/// Python's floor division and modulo, float32 division and logs, powers.
/// Reference values computed once with torch 2.13 (CPU) and NumPy 2.4; Python is not needed to run these.
struct ElementwiseSemanticsTests {
    @Test("round is half to even, like tf.round, torch.round and np.round")
    func roundHalfToEven() throws {
        let x = Engine.constant([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, 3.7])
        let r = try x.rounded().scalars
        #expect(r == [0, 2, 2, -0.0, -2, -2, 0, 4])
        #expect(r[3].sign == .minus)  // torch gives -0.
    }

    @Test("floor and ceil")
    func floorCeil() throws {
        let x = Engine.constant([-1.5, -0.5, 0.5, 2])
        #expect(try x.floor().scalars == [-2, -1, 0, 2])
        #expect(try x.ceil().scalars == [-1, -0.0, 1, 2])
    }

    @Test("casts to integers truncate toward zero; uint8 wraps modulo 256 (torch 2.13: [44, 255, 0, 255, 255])")
    func integerCasts() throws {
        let x = Engine.constant([300, -1, 256, -1.7, 255.9])
        #expect(try x.cast(.uint8).scalars == [44, 255, 0, 255, 255])
        #expect(try Engine.constant([-1.7, 1.7, -0.2]).cast(.int32).scalars == [-1, 1, -0.0])
        #expect(try Engine.constant([0, -0.0, 0.3, -2]).cast(.bool).scalars == [0, 0, 1, 1])
        #expect(try x.cast(.uint8).dtype == .uint8)
        #expect(try x.cast(.float16).scalars == x.scalars)
    }

    @Test("sign is -1, 0 or 1, and NaN for NaN")
    func sign() throws {
        let s = try Engine.constant([-3, -0.0, 0, 2, .nan]).sign().scalars
        #expect(Array(s.prefix(4)) == [-1, 0, 0, 1])
        #expect(s[4].isNaN)
    }

    @Test("// and % follow Python: the remainder takes the divisor's sign (torch 2.13: [3, -4, -4], [1, 1, -0.5])")
    func floorDivisionAndModulo() throws {
        let a = Engine.constant([7, -7, 7.5]), b = Engine.constant([2, 2, -2])
        #expect(try a.floorDivided(by: b).scalars == [3, -4, -4])
        #expect(try (a % b).scalars == [1, 1, -0.5])
    }

    @Test("float32 division and logs: x/0 = ±inf, 0/0 = NaN, log(0) = -inf, log(-1) = NaN")
    func divisionAndLog() throws {
        let q = try (Engine.constant([1, -1, 0]) / Engine.constant([0, 0, 0])).scalars
        #expect(q[0] == .infinity)
        #expect(q[1] == -.infinity)
        #expect(q[2].isNaN)
        let l = try Engine.constant([0, -1, 1]).log().scalars
        #expect(l[0] == -.infinity)
        #expect(l[1].isNaN)
        #expect(l[2] == 0)
    }

    @Test("pow: 0 ** 0 = 1; at base 0 both gradients are 0 where PyTorch gives 0 (torch 2.13: [0, 12], [0, 5.5452])")
    func power() throws {
        let base = Engine.variable([0, 2]), exponent = Engine.variable([2, 3])
        #expect(try Engine.constant([0]).pow(Engine.constant([0])).scalars == [1])
        let grads = try base.pow(exponent).sum().gradients(withRespectTo: [base, exponent])
        #expect(grads[0] == [0, 12])
        #expect(Engine.close(grads[1] ?? [], [0, 5.54517746], tolerance: 1e-5))
    }

    @Test("minimum and maximum propagate NaN; clip keeps NaN")
    func nanPropagation() throws {
        let a = Engine.constant([.nan, 1]), b = Engine.constant([0, .nan])
        #expect(try Tensor.maximum(a, b).scalars.allSatisfy(\.isNaN))
        #expect(try Tensor.minimum(a, b).scalars.allSatisfy(\.isNaN))
        #expect(try a.clipped(0, 0.5).scalars[0].isNaN)
    }

    @Test("softplus and log_sigmoid are stable at both ends")
    func stableForms() throws {
        let z = Engine.constant([-100, 0, 100])
        let sp = try z.softplus().scalars
        #expect(sp[0] >= 0 && sp[0] < 1e-40)
        #expect(Swift.abs(sp[1] - 0.6931472) < 1e-6)
        #expect(sp[2] == 100)
        let ls = try z.logSigmoid().scalars
        #expect(ls[0] == -100)
        #expect(Swift.abs(ls[1] + 0.6931472) < 1e-6)
        #expect(ls[2] <= 0 && ls[2] > -1e-40)
    }
}
