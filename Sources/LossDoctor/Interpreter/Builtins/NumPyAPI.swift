/// Filled in by the framework-tables work: one entry per API.
enum NumPyAPI {
    static let functions: [String: BuiltinFunction] = [:]
}
