// The libFuzzer entry point, compiled only by `Scripts/fuzz.sh` together with the library's sources
// (it is not part of the package: `swift build` and `swift test` never see it).
//
// Each input is a Python file: it goes through the lexer, the parser, the evaluator, loss discovery, the
// probes and the rules, exactly as `loss-doctor check` runs them, with small limits so that one execution
// stays fast. A crash, a sanitizer report, a hang (libFuzzer's -timeout) or an out-of-memory (-rss_limit_mb)
// is a bug: LossDoctor must end every input with findings.

/// Limits for fuzzing: the defaults' kinds, scaled down so that a runaway input ends in milliseconds.
let fuzzOptions: SourceOptions = {
    var options = SourceOptions()
    options.limits.steps = 20_000
    options.limits.tensorElements = 1 << 20
    return options
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Invalid UTF-8 is rejected before the lexer (`SourceChecker.check(path:)`); repairing it here lets the
    // fuzzer's byte mutations still reach the parser.
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = SourceChecker.check(source: source, file: "fuzz.py", directory: nil, options: fuzzOptions)
    // Every outcome must be reportable: render the findings as the CLI would.
    var length = 0
    for finding in result.fileErrors + result.reports.flatMap(\.findings) {
        length &+= finding.message.utf8.count
    }
    return length == -1 ? 1 : 0
}
