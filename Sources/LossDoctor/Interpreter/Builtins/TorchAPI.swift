/// Filled in by the framework-tables work: one entry per API.
enum TorchAPI {
    static let functions: [String: BuiltinFunction] = [:]
}
