// The libFuzzer entry point, compiled only by `Scripts/fuzz.sh` together with the library's sources
// (it is not part of the package: `swift build` and `swift test` never see it).
//
// Each input is a Python file. Every input goes through the lexer, the parser, the module's code, loss
// discovery and one evaluation and differentiation of each loss found, on small tensors; one input in
// eight (chosen by its bytes, so that running an input again does the same) also gets the full check:
// every probe, the rules and the suppression comments. The limits are small so that one execution stays
// fast. A crash, a sanitizer report, a hang (libFuzzer's -timeout) or an out-of-memory (-rss_limit_mb) is
// a bug: LossDoctor must end every input with findings.

/// Limits for fuzzing: the defaults' kinds, scaled down so that a runaway input ends in milliseconds.
let fuzzOptions: SourceOptions = {
    var options = SourceOptions()
    options.limits.steps = 20_000
    options.limits.tensorElements = 1 << 20
    options.limits.seconds = 5
    return options
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // Invalid UTF-8 is rejected before the lexer (`SourceChecker.check(path:)`, tested on its own);
    // repairing it here lets the fuzzer's byte mutations still reach the parser.
    let source = String(decoding: bytes, as: UTF8.self)
    let file = SourceChecker.prepare(source: source, file: "fuzz.py", directory: nil, options: fuzzOptions)
    for loss in file.losses {
        let shape = loss.layout == .channelsFirst ? [2, 1, 8, 8] : [2, 8, 8, 1]
        let target = Tensor(shape: shape, scalars: (0..<128).map { Float($0 % 3 == 0 ? 1 : 0) })
        let prediction = Tensor.variable(shape: shape, scalars: (0..<128).map { Float($0 % 7) / 7 })
        if let output = try? loss.evaluate(target, prediction), let scalar = try? (output.count == 1 ? output : output.mean()) {
            _ = scalar.gradient(withRespectTo: prediction)
        }
    }
    var hash: UInt32 = 2_166_136_261  // FNV-1a
    for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
    if hash % 8 == 0 {
        var reports = file.losses.map { LossCheck.check($0) }
        if let suppressions = file.suppressions { reports = suppressions.apply(to: reports, wholeFile: true) }
        // Every outcome must be reportable, as the CLI renders it (source lines under findings included).
        let checked = zip(file.losses, reports).map {
            CheckedLoss(input: CheckInput(function: $0, origin: .file(path: "fuzz.py", text: source)), report: $1)
        }
        _ = TextRenderer().render(checked)
        _ = JSONRenderer().render(checked)
    }
    return 0
}
