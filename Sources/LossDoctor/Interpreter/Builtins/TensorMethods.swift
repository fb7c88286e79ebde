/// Filled in by the framework-tables work: one entry per API.
enum TensorMethods {
    static let functions: [String: BuiltinFunction] = [:]
}
