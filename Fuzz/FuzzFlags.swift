// The libFuzzer entry point for command lines (`FUZZ_TARGET=flags Scripts/fuzz.sh`): each input is a
// command line, one word per line, run in-process in a scratch directory holding one small loss file. The
// loss checks themselves are stubbed (the interpreter target fuzzes those): this target fuzzes argument
// parsing, limits, configuration flags, path expansion, `-o` and the renderers. Absolute paths and `..`
// are replaced by the scratch file, so that the fuzzer only ever reads and writes inside the scratch
// directory. A crash, a hang or an out-of-memory is a bug: every command line ends in an exit status.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scratch directory, made once: `a.py` (a loss), `sub/b.py`, `pyproject.toml`.
let scratch: String = {
    var template = Array("/tmp/loss-doctor-fuzz-flags-XXXXXX".utf8CString)
    let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    chdir(directory)
    mkdir("sub", 0o755)
    func write(_ name: String, _ text: String) {
        let file = fopen(name, "w")!
        fputs(text, file)
        fclose(file)
    }
    write("a.py", "import torch\n\ndef my_loss(pred, target):\n    return ((pred - target) ** 2).mean()  # noqa: LD101\n")
    write("sub/b.py", "def helper(x):\n    return x\n")
    write("pyproject.toml", "[tool.loss-doctor]\nignore = [\"LD405\"]\n")
    return directory
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = scratch
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var words = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(64).map { word -> String in
        word.hasPrefix("/") || word.contains("..") || word.contains("=/") ? "a.py" : String(word)
    }
    // `bench` and `compare` time and run the real checks: seconds each, and nothing the flags change.
    if let first = words.first, ["bench", "compare"].contains(first) { words[0] = "check" }
    let finding = Finding(code: "LD101", name: "floor-division", severity: .error, message: "stub", site: SourceSite(file: "a.py", line: 4, column: 5), fix: "Use `/`.")
    let context = CommandContext(
        environment: [:], stdoutIsTTY: false, stderrIsTTY: false,
        check: { loss, _ in Report(loss: loss.name, findings: [finding], evidence: .none(loss.name)) },
        writeOut: { _ in }, writeErr: { _ in })
    _ = CommandLineTool.run(words, context)
    return 0
}
