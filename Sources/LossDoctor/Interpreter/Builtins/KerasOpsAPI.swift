/// Filled in by the framework-tables work: one entry per API.
enum KerasOpsAPI {
    static let functions: [String: BuiltinFunction] = [:]
}
