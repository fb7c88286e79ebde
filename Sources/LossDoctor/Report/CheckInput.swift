/// A loss `check` examines, and where it came from (a built-in, a source file, Swift): what the renderers
/// print besides the report. In Report/, not CLI/: `Report`'s `description` and `Codable` render with it.
struct CheckInput: Sendable {
    /// Where a loss under check came from.
    enum Origin: Sendable {
        /// A loss of the reference set.
        case builtin(ReferenceLoss)
        /// A loss defined in a source file, with the file's text for quoting lines.
        case file(path: String, text: String)
        /// A loss written in Swift and given to `LossCheck` (a closure or a `LossFunction`): no file, no formula.
        case swift
    }

    let function: LossFunction
    let origin: Origin

    init(function: LossFunction, origin: Origin) {
        self.function = function
        self.origin = origin
    }

    /// An input that is never probed (a file that could not be analysed, a report already made): its
    /// function is a stand-in that nothing calls.
    init(unprobed name: String, origin: Origin) {
        self.init(function: LossFunction(name: name) { _, _ in Tensor(0) }, origin: origin)
    }

    /// A built-in loss.
    init(builtin reference: ReferenceLoss) {
        self.init(function: reference.function, origin: .builtin(reference))
    }
}
