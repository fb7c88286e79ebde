/// Filled in by the framework-tables work: one entry per API.
enum TensorFlowAPI {
    static let functions: [String: BuiltinFunction] = [:]
}
