// The libFuzzer entry point for configuration files (`FUZZ_TARGET=configuration Scripts/fuzz.sh`): each
// input is a `pyproject.toml`. It is parsed as TOML and read as `[tool.loss-doctor]`, and its error, if
// any, is rendered as the CLI prints it. A crash, a stack overflow (nesting), a hang or an out-of-memory
// is a bug: every input must end in a configuration or a located error.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard size <= Configuration.maximumBytes, let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    do {
        if let configuration = try Configuration.parse(text, file: "pyproject.toml", directory: "/repo") {
            _ = configuration.ignored(forFile: "/repo/src/losses/dice.py")
            _ = RuleSelection([configuration.layer]).apply(to: Report(loss: "x", findings: [], evidence: .none("x")))
        }
    } catch {
        _ = SafeText.escaped(error.description)
    }
    return 0
}
