import Testing
@testable import LossDoctor

/// Every op of the table, by kind. `kind(of:)` is an exhaustive switch with no `default:`, so a new
/// op does not compile until it is named here, and `everyOpIsChecked` then asks for a case below.
enum OpKind: String, CaseIterable, Sendable {
    case variable, add, subtract, multiply, divide, floorDivide, modulo, power, minimum, maximum, compare
    case negate, absolute, exp, log, sqrt, sigmoid, logSigmoid, softplus, tanh, floor, ceil, round, sign
    case clip, castFloat, castInteger, stopGradient, select, reduceSum, reduceMean, reduceMax, reduceMin
    case softmax, logSoftmax, argmax, oneHot, reshape, transpose, slice, pad, concat
    case take, scatterAdd, cumulativeSum, maxPool, avgPool, convolution

    static func kind(of op: Op) -> OpKind {
        switch op {
        case .variable: .variable
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        case .floorDivide: .floorDivide
        case .modulo: .modulo
        case .power: .power
        case .minimum: .minimum
        case .maximum: .maximum
        case .compare: .compare
        case .negate: .negate
        case .absolute: .absolute
        case .exp: .exp
        case .log: .log
        case .sqrt: .sqrt
        case .sigmoid: .sigmoid
        case .logSigmoid: .logSigmoid
        case .softplus: .softplus
        case .tanh: .tanh
        case .floor: .floor
        case .ceil: .ceil
        case .round: .round
        case .sign: .sign
        case .clip: .clip
        case .cast(let type): type.isFloatingPoint ? .castFloat : .castInteger
        case .stopGradient: .stopGradient
        case .select: .select
        case .reduce(.sum, _, _): .reduceSum
        case .reduce(.mean, _, _): .reduceMean
        case .reduce(.max, _, _): .reduceMax
        case .reduce(.min, _, _): .reduceMin
        case .softmax: .softmax
        case .logSoftmax: .logSoftmax
        case .argmax: .argmax
        case .oneHot: .oneHot
        case .reshape: .reshape
        case .transpose: .transpose
        case .slice: .slice
        case .pad: .pad
        case .concat: .concat
        case .take: .take
        case .scatterAdd: .scatterAdd
        case .cumulativeSum: .cumulativeSum
        case .pool(let windows): windows.kind == .max ? .maxPool : .avgPool
        case .convolution: .convolution
        }
    }

    /// The kinds of every op in the graph of `tensor`.
    static func kinds(in tensor: Tensor) -> Set<OpKind> {
        Set(tensor.topologicalOrder().compactMap { $0.op.map(kind(of:)) })
    }
}

/// One gradient check: inputs (all variables) and the function of them to differentiate.
struct GradientCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inputs: [Engine.Input]
    let build: @Sendable ([Tensor]) throws -> Tensor

    init(_ name: String, _ inputs: [Engine.Input], _ build: @escaping @Sendable ([Tensor]) throws -> Tensor) {
        self.name = name
        self.inputs = inputs
        self.build = build
    }

    var testDescription: String { name }
}

/// Inputs a step (5e-3) or more away from every kink and jump the ops below have
/// (0 for abs and sign, integers for floor/ceil/%, halves for round, the clip bounds, ties).
private let a23 = Engine.Input([0.3, 1.7, 2.2, -0.6, 1.1, -1.4], [2, 3])
private let b23 = Engine.Input([0.9, -1.3, 0.45, 1.6, -0.7, 2.1], [2, 3])
private let positive23 = Engine.Input([0.3, 1.7, 2.2, 0.6, 1.1, 0.45], [2, 3])
private let distinct234 = Engine.Input(
    [0.5, -1.2, 2.3, 0.1, 1.9, -0.4, 0.8, 1.3, -2.1, 0.05, 1.45, -0.75,
     2.6, -0.3, 0.95, 1.65, -1.8, 0.35, 2.05, -0.9, 1.2, 0.6, -0.15, 1.75], [2, 3, 4])

/// The op table, as gradient checks: one or more cases per differentiable op, including broadcasting.
/// To cover a new op, add a case here.
let gradientCases: [GradientCase] = [
    // Binary arithmetic, same shapes and broadcast.
    GradientCase("+", [a23, b23]) { try $0[0] + $0[1] },
    GradientCase("+ broadcast (4,1,3) with (2,3)",
                 [Engine.Input((0..<12).map { Float($0) * 0.1 - 0.5 }, [4, 1, 3]), b23]) { try $0[0] + $0[1] },
    GradientCase("-", [a23, b23]) { try $0[0] - $0[1] },
    GradientCase("- scalar with tensor", [Engine.Input([0.7], []), a23]) { try $0[0] - $0[1] },
    GradientCase("*", [a23, b23]) { try $0[0] * $0[1] },
    GradientCase("* broadcast (3,1) with (1,4)",
                 [Engine.Input([0.5, -1.5, 2.0], [3, 1]), Engine.Input([1.0, -0.3, 0.8, 2.2], [1, 4])]) { try $0[0] * $0[1] },
    GradientCase("* tensor with scalar", [a23, Engine.Input([1.3], [])]) { try $0[0] * $0[1] },
    GradientCase("/", [a23, b23]) { try $0[0] / $0[1] },
    GradientCase("/ broadcast (2,3) by (3,)", [a23, Engine.Input([0.9, -1.3, 0.45])]) { try $0[0] / $0[1] },
    GradientCase("% (a/b away from integers)",
                 [Engine.Input([0.3, 1.7, 2.2, -0.6, 3.4, 5.1], [2, 3]), Engine.Input([1.0, 0.8, 0.9, 1.1, 1.3, 2.0], [2, 3])]) {
        try $0[0] % $0[1]
    },
    GradientCase("** (positive base)", [positive23, Engine.Input([0.5, 1.5, 2.0, 2.5, -0.5, 1.2], [2, 3])]) { try $0[0].pow($0[1]) },
    GradientCase("minimum", [a23, b23]) { try Tensor.minimum($0[0], $0[1]) },
    GradientCase("maximum", [a23, b23]) { try Tensor.maximum($0[0], $0[1]) },
    GradientCase("maximum broadcast with scalar", [a23, Engine.Input([0.7], [])]) { try Tensor.maximum($0[0], $0[1]) },

    // Unary.
    GradientCase("neg", [a23]) { try -$0[0] },
    GradientCase("abs", [a23]) { try $0[0].abs() },
    GradientCase("exp", [a23]) { try $0[0].exp() },
    GradientCase("log", [positive23]) { try $0[0].log() },
    GradientCase("sqrt", [positive23]) { try $0[0].sqrt() },
    GradientCase("sigmoid", [a23]) { try $0[0].sigmoid() },
    GradientCase("log_sigmoid", [Engine.Input([-20, -3.5, -0.6, 0.3, 4.2, 25], [2, 3])]) { try $0[0].logSigmoid() },
    GradientCase("softplus", [Engine.Input([-20, -3.5, -0.6, 0.3, 4.2, 25], [2, 3])]) { try $0[0].softplus() },
    GradientCase("tanh", [a23]) { try $0[0].tanh() },
    GradientCase("floor (zero away from integers)", [a23]) { try $0[0].floor() },
    GradientCase("ceil (zero away from integers)", [a23]) { try $0[0].ceil() },
    GradientCase("round (zero away from halves)", [a23]) { try $0[0].rounded() },
    GradientCase("sign (zero away from 0)", [a23]) { try $0[0].sign() },
    GradientCase("clip, some inside and some outside", [a23]) { try $0[0].clipped(-0.5, 1.5) },
    GradientCase("cast(float32)", [a23]) { try $0[0].cast(.float32) },
    GradientCase("cast(float64)", [a23]) { try $0[0].cast(.float64) },
    GradientCase("where", [a23, b23]) {
        try Tensor.select(Engine.constant([1, 0, 1, 1, 0, 0], [2, 3]), $0[0], $0[1])
    },
    GradientCase("where broadcast: condition (2,1), scalar branch", [a23, Engine.Input([0.25], [])]) {
        try Tensor.select(Engine.constant([0, 1], [2, 1]), $0[0], $0[1])
    },

    // Reductions.
    GradientCase("sum of all", [distinct234]) { try $0[0].sum() },
    GradientCase("sum axis 1", [distinct234]) { try $0[0].sum(axes: [1]) },
    GradientCase("sum axes (0, 2) keepdims", [distinct234]) { try $0[0].sum(axes: [0, 2], keepDims: true) },
    GradientCase("sum axis -1", [distinct234]) { try $0[0].sum(axes: [-1]) },
    GradientCase("mean of all", [distinct234]) { try $0[0].mean() },
    GradientCase("mean axes (1, 2)", [distinct234]) { try $0[0].mean(axes: [1, 2]) },
    GradientCase("max axis -1 (no ties)", [distinct234]) { try $0[0].max(axes: [-1]) },
    GradientCase("max of all", [distinct234]) { try $0[0].max() },
    GradientCase("min axis 0 keepdims (no ties)", [distinct234]) { try $0[0].min(axes: [0], keepDims: true) },
    GradientCase("softmax axis -1", [distinct234]) { try $0[0].softmax(axis: -1) },
    GradientCase("softmax axis 1", [distinct234]) { try $0[0].softmax(axis: 1) },
    GradientCase("log_softmax axis -1", [distinct234]) { try $0[0].logSoftmax(axis: -1) },
    GradientCase("log_softmax axis 0", [distinct234]) { try $0[0].logSoftmax(axis: 0) },

    // Layout.
    GradientCase("reshape with -1", [distinct234]) { try $0[0].reshaped([4, -1]) },
    GradientCase("transpose (2,0,1)", [distinct234]) { try $0[0].transposed([2, 0, 1]) },
    GradientCase("transpose reversed", [distinct234]) { try $0[0].transposed() },
    GradientCase("slice with negative and positive steps", [distinct234]) {
        try $0[0].slice(starts: [1, 2, 0], steps: [-1, -2, 3], counts: [2, 2, 2])
    },
    GradientCase("pad", [a23]) { try $0[0].padded(before: [1, 0], after: [0, 2]) },
    GradientCase("concat axis 1", [a23, Engine.Input([0.4, -0.2, 1.3, 0.8], [2, 2])]) { try Tensor.concat([$0[0], $0[1]], axis: 1) },
    GradientCase("concat axis 0", [a23, b23]) { try Tensor.concat([$0[0], $0[1]], axis: 0) },
    GradientCase("stack axis -1", [a23, b23]) { try Tensor.stack([$0[0], $0[1]], axis: -1) },

    // Moving elements by index.
    GradientCase("gather along axis 1, an element picked twice", [distinct234]) {
        try $0[0].gather(axis: 2, index: Engine.constant([0, 0, 3, 1, 2, 2, 3, 3, 1, 0, 1, 2, 2, 1, 0, 3, 3, 0], [2, 3, 3]).cast(.int64))
    },
    GradientCase("gather whole slices (tf.gather)", [distinct234]) {
        try $0[0].gatherSlices(axis: 1, index: Engine.constant([2, 0, 2, 1]).cast(.int64))
    },
    GradientCase("boolean mask indexing", [distinct234]) {
        try $0[0].masked(by: Engine.constant([1, 0, 1, 0, 0, 1], [2, 3]))
    },
    GradientCase("scatter_add with repeated positions", [a23, b23]) {
        try $0[0].scattered(axis: 1, index: Engine.constant([2, 2, 0, 1, 1, 1], [2, 3]).cast(.int64), source: $0[1], replace: false)
    },
    GradientCase("scatter replacing", [a23, b23]) {
        try $0[0].scattered(axis: 1, index: Engine.constant([2, 0, 1, 0], [2, 2]).cast(.int64), source: $0[1], replace: true)
    },
    GradientCase("cumsum axis 2", [distinct234]) { try $0[0].cumulativeSum(axis: 2) },
    GradientCase("cumsum axis 0", [distinct234]) { try $0[0].cumulativeSum(axis: 0) },
    GradientCase("sort descending along axis 1", [distinct234]) { try $0[0].sorted(axis: 1, descending: true).values },
    GradientCase("top 2 along the last axis", [distinct234]) { try $0[0].top(2, axis: -1).values },
    GradientCase("flip two axes", [distinct234]) { try $0[0].flipped(axes: [0, 2]) },
    GradientCase("max pool 2x2 stride 1 with padding (distinct values)", [distinct234]) {
        try $0[0].pooled(.sliding(.max, axes: [1, 2], inputExtents: [3, 4], kernel: [2, 2], stride: [1, 1], padding: [1, 1], outputs: [4, 5], countPadding: false))
    },
    GradientCase("average pool 3 stride 2 counting padding", [distinct234]) {
        try $0[0].pooled(.sliding(.average, axes: [2], inputExtents: [4], kernel: [3], stride: [2], padding: [1], outputs: [2], countPadding: true))
    },
    GradientCase("adaptive average pool (2, 3)", [distinct234]) {
        try $0[0].pooled(.adaptive(.average, axes: [1, 2], inputExtents: [3, 4], outputs: [2, 3]))
    },
    // Input (1, 2, 3, 4) and weight (2, 2, 2, 2): both receive gradient; then two groups, stride 2 and dilation.
    GradientCase("convolution 2x2, input and weight", [distinct234, Engine.Input((0..<16).map { Float($0 % 5) * 0.3 - 0.6 }, [2, 2, 2, 2])]) {
        try $0[0].reshaped([1, 2, 3, 4]).convolved(with: $0[1], ConvolutionWindows(input: [1, 2, 3, 4], weight: [2, 2, 2, 2], stride: [1, 1], dilation: [1, 1], groups: 1))
    },
    GradientCase("convolution in 2 groups, stride 2, dilation 2", [distinct234, Engine.Input([0.4, -0.7, 1.1, 0.2, -0.5, 0.9, 0.3, -1.2], [4, 1, 1, 2])]) {
        try $0[0].reshaped([1, 2, 3, 4]).convolved(with: $0[1], ConvolutionWindows(input: [1, 2, 3, 4], weight: [4, 1, 1, 2], stride: [2, 1], dilation: [1, 2], groups: 2))
    },

    // Composites, as the reference losses use them.
    GradientCase("soft Dice per sample", [Engine.Input([0.2, 0.7, 0.9, 0.1, 0.6, 0.35], [2, 3])]) {
        let y = Engine.constant([0, 1, 1, 0, 1, 0], [2, 3])
        let p = $0[0]
        return try 1 - (2 * (y * p).sum(axes: [1]) + 1) / (y.sum(axes: [1]) + p.sum(axes: [1]) + 1)
    },
    GradientCase("binary cross-entropy on clipped probabilities", [Engine.Input([0.2, 0.7, 0.9, 0.1, 0.6, 0.35], [2, 3])]) {
        let y = Engine.constant([0, 1, 1, 0, 1, 0], [2, 3])
        let p = try $0[0].clipped(1e-7, 1 - 1e-7)
        return try -(y * p.log() + (1 - y) * (1 - p).log()).mean()
    },
    GradientCase("softmax cross-entropy", [distinct234]) {
        let labels = try Engine.constant([0, 3, 1, 2, 2, 0], [2, 3]).oneHot(depth: 4)
        return try -(labels * $0[0].logSoftmax(axis: -1)).sum(axes: [-1]).mean()
    },
]

struct GradientCheckTests {
    @Test("reverse-mode gradient matches central finite differences", arguments: gradientCases)
    func matchesFiniteDifferences(_ testCase: GradientCase) throws {
        let mismatches = try Engine.gradientMismatches(testCase.inputs, testCase.build)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(4).map(\.description).joined(separator: "; "))")
    }

    @Test("every differentiable op has a gradient check; every op is checked somewhere")
    func everyOpIsChecked() throws {
        var covered = Set<OpKind>()
        for testCase in gradientCases {
            let variables = testCase.inputs.map { Tensor.variable(shape: $0.shape, scalars: $0.values) }
            covered.formUnion(OpKind.kinds(in: try testCase.build(variables)))
        }
        // Cut ops have no gradient to check; GradientResultTests covers each.
        let cuts: Set<OpKind> = [.floorDivide, .compare, .castInteger, .stopGradient, .argmax]
        let missing = Set(OpKind.allCases).subtracting(covered).subtracting(cuts)
        #expect(missing.isEmpty, "ops without a gradient check: \(missing.map(\.rawValue).sorted())")
    }

    @Test("the gradient check itself catches a wrong gradient")
    func checkerDetectsWrongGradient() throws {
        // x * x + stopGradient(x) * x: the engine gives 2x + x = 3x by design, while the finite
        // difference sees d/dx (x² + x²) = 4x; every element (|x| >= 0.3) must be flagged.
        let mismatches = try Engine.gradientMismatches([a23]) { try $0[0] * $0[0] + $0[0].stopGradient() * $0[0] }
        #expect(mismatches.count == a23.values.count)
    }
}

/// The backward shortcuts for a uniform gradient (`Op.uniformBackward`) against the plain backward on
/// the expanded gradient, bit for bit, on every op of every gradient case.
struct UniformGradientTests {
    @Test("a uniform gradient's shortcut gives the same bits as the expanded gradient", arguments: gradientCases)
    func shortcutsMatch(_ testCase: GradientCase) throws {
        let variables = testCase.inputs.map { Tensor.variable(shape: $0.shape, scalars: $0.values) }
        for tensor in try testCase.build(variables).topologicalOrder() {
            guard let node = tensor.node, !node.inputs.isEmpty else { continue }  // leaves have no backward
            let needed = node.inputs.indices.map { node.inputs[$0].requiresGrad && node.op.passesGradient(toInput: $0) }
            for c: Float in [0.75, -0.0, -3] {
                guard let shortcut = node.op.uniformBackward(node.inputs, output: tensor, value: c, needed: needed) else { continue }
                let plain = node.op.backward(node.inputs, output: tensor, gradient: [Float](repeating: c, count: tensor.count), needed: needed)
                #expect(shortcut.map { $0?.values.map(\.bitPattern) } == plain.map { $0?.map(\.bitPattern) },
                        "\(node.op.name) with gradient \(c)")
            }
        }
    }

    @Test("gradients accumulate the same whichever of a uniform and a dense contribution comes first")
    func accumulationOrder() throws {
        let y = Engine.constant([0, 1, 1, 0, 0.5, 2])
        let p = Engine.variable([0.2, 0.7, 0.9, 0.1, 0.6, 0.35])
        let a = try ((y * p).sum() + p.sum()).gradients(withRespectTo: [p])[0]
        let b = try (p.sum() + (y * p).sum()).gradients(withRespectTo: [p])[0]
        #expect(a == [1, 2, 2, 1, 1.5, 3])
        #expect(b == a)
        let twice = try (p.mean() + p.mean()).gradients(withRespectTo: [p])[0]
        #expect(twice == [Float](repeating: 2.0 / 6, count: 6))
    }
}
