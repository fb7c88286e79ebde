import Testing
@testable import LossDoctor

/// Under memory pressure an evaluation's budget drops the values of old intermediates and they are
/// recomputed when read (`AllocationBudget`, `Tensor.scalars`): values and gradients keep every bit.
@Suite("Values dropped under memory pressure")
struct DroppedValuesTests {
    /// A loss that keeps a difference, its square and a sigmoid product alive per iteration (the graph
    /// holds them for the backward pass), with a chain `x = x * 1.001` deeper than a recomputation may go.
    static func loss(_ prediction: Tensor, _ target: Tensor, iterations: Int) throws -> Tensor {
        var total = Tensor(0)
        var chained = prediction
        for _ in 0..<iterations {
            let difference = try prediction - target
            let weighted = try difference * difference * prediction.sigmoid()
            total = try total + weighted.mean() * Tensor(0.01)
            chained = try chained * Tensor(1.001)
        }
        return try total + chained.mean()
    }

    static func run(budget: AllocationBudget?) throws -> (value: [Float], gradient: [Float]?, used: Int) {
        let count = 8192
        let prediction = Tensor.variable(shape: [count], scalars: KernelTests.values(count, seed: 3))
        let target = Tensor(shape: [count], scalars: KernelTests.values(count, seed: 4).map { $0 > 0 ? 1 : 0 })
        return try Tensor.$budget.withValue(budget) {
            let output = try loss(prediction, target, iterations: 100)
            let gradient = output.gradient(withRespectTo: prediction).values
            return (output.scalars, gradient, budget?.used ?? 0)
        }
    }

    @Test("a loop over 100 x 4 full-size intermediates fits a budget of 40 of them, with the same bits")
    func sameBits() throws {
        let free = try Self.run(budget: nil)
        // 3.3M elements held without dropping; 330k allowed.
        let budget = AllocationBudget(limit: 330_000)
        let pressed = try Self.run(budget: budget)
        #expect(pressed.value.map(\.bitPattern) == free.value.map(\.bitPattern))
        #expect(pressed.gradient?.map(\.bitPattern) == free.gradient?.map(\.bitPattern))
        #expect(pressed.gradient != nil)
    }

    @Test("what cannot be dropped still fails: the budget bounds what is held")
    func stillBounded() throws {
        // Too small for even the inputs of one iteration's ops.
        #expect(throws: EngineError.self) { try Self.run(budget: AllocationBudget(limit: 20_000)) }
    }

    @Test("a budget shared with other work (module code) drops nothing: its tensors may be read elsewhere")
    func sharedBudgetKeepsValues() throws {
        let budget = AllocationBudget(limit: 330_000)
        budget.alsoCharge = { (_: Int) throws(EngineError) in }
        #expect(throws: EngineError.self) { try Self.run(budget: budget) }
    }
}
