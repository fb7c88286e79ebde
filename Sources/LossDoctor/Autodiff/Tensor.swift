#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error of the tensor engine: a shape that does not fit, or an argument out of range.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    case shapeMismatch(op: String, [Int], [Int])
    case invalidArgument(String)
    case tooLarge(elements: Int, limit: Int)
    /// The elements allocated by one piece of work (one evaluation of an interpreted loss) passed its budget.
    case budgetExceeded(elements: Int, limit: Int)

    /// The error as a one-line message.
    public var description: String {
        switch self {
        case .shapeMismatch(let op, let a, let b):
            "shapes \(Tensor.describe(a)) and \(Tensor.describe(b)) do not broadcast in `\(op)`"
        case .invalidArgument(let message): message
        case .tooLarge(let elements, let limit):
            "a tensor of \(elements == Int.max ? "more than \(Int.max)" : String(elements)) elements exceeds the limit of \(limit) elements"
        case .budgetExceeded(let elements, let limit):
            "one evaluation holds \(elements) elements of tensors and Python sequences (\(AllocationBudget.megabytes(elements)) MB as float32), over the limit of \(limit) (\(AllocationBudget.megabytes(limit)) MB)"
        }
    }
}

/// A node of the autodiff graph: the op that made a tensor, its inputs, and where it came from.
final class Node {
    let op: Op
    /// Only `deinit` changes it (unchecked: the graph is built once and read many times).
    @exclusivity(unchecked) private(set) var inputs: [Tensor]
    /// Where the op was written (set by the interpreter), for findings.
    var site: SourceSite?

    init(op: Op, inputs: [Tensor]) {
        self.op = op
        self.inputs = inputs
    }

    /// Releasing a long chain (tensor, node, inputs, tensor, ...) the usual way recurses once per op and
    /// overflows the stack for a graph of a few hundred thousand ops (`sum([x] * 400000)` in a user's loss).
    /// The chain is taken apart in a loop instead: a tensor that only this teardown still holds hands its
    /// node's inputs to the loop before it is released, so every release is shallow.
    deinit {
        guard inputs.contains(where: { $0.node.map { !$0.inputs.isEmpty } ?? false }) else { return }
        var pending = inputs
        inputs = []
        while var tensor = pending.popLast() {
            if isKnownUniquelyReferenced(&tensor), let node = tensor.node, !node.inputs.isEmpty {
                pending += node.inputs
                node.inputs = []
            }
        }
    }
}

/// A place in a source file, attached to the ops the interpreter evaluates.
public struct SourceSite: Hashable, Sendable, Comparable, Codable {
    /// The file name findings show.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column.
    public var column: Int
    /// The source text of the expression, when known.
    public var text: String?

    /// A site in `file` at `line` and `column` (1-based).
    public init(file: String, line: Int, column: Int, text: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.text = text
    }

    /// Orders by file, then line, then column.
    public static func < (a: SourceSite, b: SourceSite) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// A float32 tensor with NumPy broadcasting, recording the ops that made it for reverse-mode autodiff.
///
/// Sendable: its values, shape and graph are immutable once made; the only later writes are the source site
/// the interpreter stamps on a node right after creating it (before the tensor is shared), the graph's
/// teardown in `deinit`, which no other reference can observe, and the values an evaluation's budget
/// drops under memory pressure (on the evaluation's own thread; they read back the same, recomputed).
public final class Tensor: @unchecked Sendable {
    /// The extent of each axis; empty for a scalar.
    public let shape: [Int]
    /// The element type (storage is float32 either way).
    public let dtype: DType
    /// The values, or nil once the budget dropped them (`dropValues`).
    @exclusivity(unchecked) private var storage: [Float]?
    /// How many dropped tensors a recomputation of this one goes through (0: its values are held).
    @exclusivity(unchecked) private var recomputeDepth = 0
    /// Number of elements.
    public let count: Int

    /// The values in row-major order. Values the budget dropped are recomputed from the op and its inputs:
    /// every op's forward is a pure function of its inputs, so they are the same bits.
    public var scalars: [Float] {
        if let storage { return storage }
        guard let node, let values = try? node.op.forward(node.inputs).values else {
            preconditionFailure("a dropped tensor's values can be recomputed: its op succeeded on the same inputs")
        }
        return values
    }
    /// Whether a differentiable path leads from a variable to this tensor.
    public let requiresGrad: Bool
    /// Whether any path, differentiable or not, leads from a variable to this tensor.
    public let dependsOnVariable: Bool
    let node: Node?
    /// What making this tensor cost its evaluation's budget, given back when it is freed.
    private let receipt: AllocationBudget.Receipt?

    /// A constant tensor.
    public init(shape: [Int], scalars: [Float], dtype: DType = .float32) {
        precondition(elementCount(shape) == scalars.count, "shape \(shape) does not hold \(scalars.count) values")
        self.shape = shape
        self.storage = scalars
        self.count = scalars.count
        self.dtype = dtype
        self.requiresGrad = false
        self.dependsOnVariable = false
        self.node = nil
        self.receipt = nil
    }

    /// A scalar constant.
    public convenience init(_ value: Float, dtype: DType = .float32) {
        self.init(shape: [], scalars: [value], dtype: dtype)
    }

    /// A constant filled with one value.
    public convenience init(repeating value: Float, shape: [Int], dtype: DType = .float32) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: elementCount(shape)), dtype: dtype)
    }

    private init(shape: [Int], scalars: [Float], dtype: DType, node: Node, requiresGrad: Bool, dependsOnVariable: Bool,
                 receipt: AllocationBudget.Receipt? = nil) {
        self.shape = shape
        self.storage = scalars
        self.count = scalars.count
        self.dtype = dtype
        self.node = node
        self.requiresGrad = requiresGrad
        self.dependsOnVariable = dependsOnVariable
        self.receipt = receipt
    }

    deinit { receipt?.refund(dropped: storage == nil) }

    /// Lets the values go, to be recomputed when read, if that is cheap enough: a tensor made by an op, at
    /// most `AllocationBudget.maximumRecomputeDepth` dropped tensors deep. Returns the elements freed.
    fileprivate func dropValues() -> Int {
        guard storage != nil, let node, !node.inputs.isEmpty else { return 0 }
        let depth = 1 + node.inputs.reduce(0) { Swift.max($0, $1.recomputeDepth) }
        guard depth <= AllocationBudget.maximumRecomputeDepth else { return 0 }
        storage = nil
        recomputeDepth = depth
        return count
    }

    /// A leaf that gradients are taken with respect to (the prediction of a probe, or a model parameter).
    public static func variable(shape: [Int], scalars: [Float]) -> Tensor {
        precondition(elementCount(shape) == scalars.count, "shape \(shape) does not hold \(scalars.count) values")
        return Tensor(shape: shape, scalars: scalars, dtype: .float32, node: Node(op: .variable, inputs: []),
                      requiresGrad: true, dependsOnVariable: true)
    }

    /// Largest number of elements a single op may produce (guards against broadcasting into terabytes).
    /// Bind it for a piece of work with `Tensor.$elementLimit.withValue(n) { ... }`.
    @TaskLocal public static var elementLimit = 64 * 1024 * 1024

    /// The source site that ops created now are attributed to: the interpreter binds it around each
    /// expression it evaluates, so every node knows the line and column it came from.
    @TaskLocal static var currentSite: SourceSite?

    /// The budget that the elements of new tensors are charged to, if any (the interpreter binds one per
    /// evaluation of a user's loss, so that a loop of allocations ends with an error, not out of memory).
    @TaskLocal static var budget: AllocationBudget?

    /// Applies a primitive op, recording it in the graph.
    static func apply(_ op: Op, _ inputs: [Tensor]) throws(EngineError) -> Tensor {
        let receipt = try reserve(op.outputCount(inputs))
        let (shape, dtype, values) = try op.forward(inputs)
        let requiresGrad = inputs.indices.contains { inputs[$0].requiresGrad && op.passesGradient(toInput: $0) }
        let node = Node(op: op, inputs: inputs)
        node.site = currentSite
        let tensor = Tensor(shape: shape, scalars: values, dtype: dtype, node: node,
                            requiresGrad: requiresGrad, dependsOnVariable: inputs.contains { $0.dependsOnVariable }, receipt: receipt)
        receipt?.budget.mayDrop(tensor)
        return tensor
    }

    /// Checks that a new tensor of `count` elements fits `elementLimit` and charges it to the budget.
    /// Called before the elements are allocated.
    @discardableResult
    static func reserve(_ count: Int) throws(EngineError) -> AllocationBudget.Receipt? {
        if count > elementLimit { throw .tooLarge(elements: count, limit: elementLimit) }
        return try budget?.chargeTensor(count)
    }

    /// A constant of `shape` filled with `value`, for shapes that come from user code: a negative extent
    /// is an error, and the size is checked against the limits before anything is allocated.
    public static func filled(_ value: Float, shape: [Int], dtype: DType = .float32) throws(EngineError) -> Tensor {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw .invalidArgument("negative dimensions are not allowed: \(describe(shape))")
        }
        try reserve(elementCount(shape))
        return Tensor(repeating: value, shape: shape, dtype: dtype)
    }

    /// The op that produced this tensor, if any.
    var op: Op? { node?.op }

    /// Where the op that produced this tensor was written, if known.
    public var site: SourceSite? {
        get { node?.site }
        set { node?.site = newValue }
    }

    /// The single value of a one-element tensor.
    public var scalar: Float? { scalars.count == 1 ? scalars[0] : nil }

    /// The type arithmetic on two tensors gives (floats win; bool arithmetic gives integers).
    static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a == .bool ? .int64 : a }
        if a.isFloatingPoint || b.isFloatingPoint { return a.isFloatingPoint ? (b.isFloatingPoint ? .float32 : a) : b }
        return .int64
    }

    /// Converts a value as a cast to `type` does: truncation toward zero, uint8 wraps, bool is `!= 0`.
    static func convert(_ value: Float, to type: DType) -> Float {
        switch type {
        case .float16, .float32, .float64: return value
        case .bool: return value != 0 ? 1 : 0
        case .int8, .int16, .int32, .int64, .uint8:
            guard value.isFinite else { return 0 }
            let truncated = value.rounded(.towardZero)
            if type == .uint8 {
                let wrapped = truncated.truncatingRemainder(dividingBy: 256)
                return wrapped < 0 ? wrapped + 256 : wrapped
            }
            return truncated
        }
    }

    /// Formats a shape like NumPy: `(4, 64, 64, 1)`.
    static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}

extension Tensor: CustomStringConvertible {
    /// How many values `description` prints before eliding the middle.
    static let describedValues = 8

    /// `Tensor(shape=(2, 3), dtype=float32, values=[1, 2, 3, 4, 5, 6])`; a longer tensor shows its first and
    /// last four values around `...`, so that printing a probe batch stays one line.
    public var description: String {
        let values = scalars
        let half = Self.describedValues / 2
        let format = { (value: Float) in formatNumber(value, significant: 6) }
        let shown = values.count <= Self.describedValues
            ? values.map(format)
            : values.prefix(half).map(format) + ["..."] + values.suffix(half).map(format)
        return "Tensor(shape=\(Self.describe(shape)), dtype=\(dtype.rawValue), values=[\(shown.joined(separator: ", "))])"
    }
}

/// Elements held by a piece of work, against a limit. Each tensor also pays `overhead` elements for its
/// object, graph node and array headers, so that millions of tiny tensors are bounded too. A tensor made by
/// an op gives its elements back when it is freed, during the same evaluation, so the limit bounds live
/// memory: a loop that makes and drops temporaries ends by its steps or time, not here. Python sequences
/// and strings stay charged until the evaluation ends.
///
/// The graph keeps every intermediate alive for the backward pass, where PyTorch keeps only what each
/// op's gradient reads: `total + ((p - t) ** 2).mean()` a thousand times holds two full-size tensors per
/// iteration here, one in PyTorch. So when a charge would pass the limit, the budget first drops the values
/// of the oldest large intermediates (recomputed, bit for bit, when read: `Tensor.scalars`), and only fails
/// when what is left still does not fit.
final class AllocationBudget: @unchecked Sendable {
    /// Elements charged per tensor on top of its own (about 128 bytes of bookkeeping).
    static let overhead = 32
    let limit: Int
    /// Another budget each charge also goes to (one shared by several pieces of work), if any; what it is
    /// charged is never given back, so a budget with one takes no refunds.
    var alsoCharge: ((Int) throws(EngineError) -> Void)?
    /// A tensor's `deinit` may run on another thread than the evaluation (evaluations move between the
    /// large-stack threads), so the counts are read and written under this lock.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var usedElements = 0
    /// Counts `reset()`s: a tensor from an earlier evaluation gives nothing back to a later one.
    private var generation = 0
    /// Intermediates large enough to be worth dropping, oldest first, weakly held. Only the evaluation's
    /// own thread reads or writes it (in `Tensor.apply`).
    @exclusivity(unchecked) private var droppable: [WeakTensor] = []
    /// Entries before it were dropped, are gone, or can never be dropped (their inputs only get deeper).
    @exclusivity(unchecked) private var droppableStart = 0
    /// When `droppable` is next cleared of such entries (a loop of temporaries would grow it without end).
    @exclusivity(unchecked) private var compactionCount = 1024

    /// Smallest tensor worth dropping: below it, the bookkeeping is most of the cost.
    static let droppableElements = 4096
    /// What a dropped tensor still costs: its object, node and weak reference.
    static let droppedCost = 3 * overhead
    /// A read of a dropped tensor recomputes at most this many ops.
    static let maximumRecomputeDepth = 4

    private struct WeakTensor {
        weak var tensor: Tensor?
    }

    init(limit: Int) {
        self.limit = limit
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    var used: Int { locked { usedElements } }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// What one tensor paid.
    struct Receipt: Sendable {
        let budget: AllocationBudget
        let cost: Int
        let generation: Int

        /// Gives back the cost, less what was already given back when the values were dropped.
        func refund(dropped: Bool) {
            guard budget.alsoCharge == nil else { return }
            let amount = dropped ? Swift.min(cost, AllocationBudget.droppedCost) : cost
            budget.locked {
                guard budget.generation == generation else { return }
                budget.usedElements = Swift.max(0, budget.usedElements - amount)
            }
        }
    }

    /// Adds `elements` and the per-tensor overhead, failing once the total passes the limit.
    func charge(_ elements: Int) throws(EngineError) {
        _ = try chargeTensor(elements)
    }

    /// `charge`, returning the receipt a tensor keeps to give the elements back when it is freed.
    func chargeTensor(_ elements: Int) throws(EngineError) -> Receipt {
        let cost = elements > Int.max - Self.overhead ? Int.max : Swift.max(elements, 0) + Self.overhead
        let (total, current) = locked {
            usedElements = usedElements > Int.max - cost ? Int.max : usedElements + cost
            return (usedElements, generation)
        }
        if total > limit && relieve(to: limit - limit / 4, generation: current) > limit {
            throw .budgetExceeded(elements: used, limit: limit)
        }
        try alsoCharge?(cost)
        return Receipt(budget: self, cost: cost, generation: current)
    }

    /// Registers a tensor this budget paid for as one whose values may be dropped.
    fileprivate func mayDrop(_ tensor: Tensor) {
        guard alsoCharge == nil, tensor.count >= Self.droppableElements, tensor.node?.inputs.isEmpty == false else { return }
        droppable.append(WeakTensor(tensor: tensor))
        if droppable.count >= compactionCount {
            droppable = droppable[droppableStart...].filter { $0.tensor != nil }
            droppableStart = 0
            compactionCount = Swift.max(1024, 2 * droppable.count)
        }
    }

    /// Drops the values of the oldest droppable tensors until `goal` is reached or none is left, and
    /// returns what is then used. A budget shared with other work (`alsoCharge`) drops nothing: its
    /// tensors may be read from other threads.
    private func relieve(to goal: Int, generation: Int) -> Int {
        guard alsoCharge == nil else { return used }
        var freed = 0
        let start = used
        while droppableStart < droppable.count && start - freed > goal {
            if let tensor = droppable[droppableStart].tensor {
                let elements = tensor.dropValues()
                if elements > 0 { freed += elements + Self.overhead - Self.droppedCost }
            }
            droppableStart += 1
        }
        return locked {
            if self.generation == generation { usedElements = Swift.max(0, usedElements - freed) }
            return usedElements
        }
    }

    /// Starts over (a new evaluation).
    func reset() {
        locked {
            usedElements = 0
            generation += 1
        }
        droppable = []
        droppableStart = 0
        compactionCount = 1024
    }

    /// Float32 megabytes for a number of elements, for messages.
    static func megabytes(_ elements: Int) -> String {
        formatNumber(Double(elements) * 4 / 1_048_576, significant: 3)
    }
}

extension Tensor: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// A scalar constant from a float literal.
    public convenience init(floatLiteral value: Float) { self.init(value) }
    /// A scalar constant from an integer literal.
    public convenience init(integerLiteral value: Int) { self.init(Float(value)) }
}
