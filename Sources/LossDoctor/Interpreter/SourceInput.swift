#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and parsing a source file within the limits: a file is read only if it is a regular file of
/// at most `fileBytes` bytes (a symlink to /dev/zero in a pull request must not hang the check), its
/// bytes must be UTF-8 (the error points at the first bad byte), and parsing runs on a large stack.
extension SourceChecker {
    /// The text of the file at `path`, or the located error that stops it from being checked.
    static func readSource(path: String, shown: String, limits: InterpreterLimits) -> Result<String, InterpreterError> {
        let start = SourceSite(file: shown, line: 1, column: 1)
        func failure(_ kind: InterpreterError.Kind, _ message: String, hint: String? = nil) -> Result<String, InterpreterError> {
            .failure(InterpreterError(kind, message, at: start, hint: hint))
        }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { return failure(.pythonError, "cannot read \(shown)") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return failure(.pythonError, "cannot read \(shown)") }
        guard status.st_mode & S_IFMT == S_IFREG else {
            return failure(.pythonError, "cannot read \(shown): not a regular file")
        }
        let tooLarge = failure(.limit, "\(shown) is larger than the limit of \(limits.fileBytes) bytes: it is not checked",
                               hint: "raise the limit with --max-file-size")
        guard Int(status.st_size) <= limits.fileBytes else { return tooLarge }
        // Read one byte past the limit: a file that grew since `fstat` is caught too.
        var bytes = [UInt8](repeating: 0, count: limits.fileBytes + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { return failure(.pythonError, "cannot read \(shown)") }
            if got == 0 { break }
            count += got
        }
        guard count <= limits.fileBytes else { return tooLarge }
        return decodeUTF8(bytes[..<count], shown: shown)
    }

    /// Strict UTF-8, with the first invalid byte located like a syntax error (CPython: "(unicode error)
    /// 'utf-8' codec can't decode byte 0xff in position 12").
    static func decodeUTF8(_ bytes: ArraySlice<UInt8>, shown: String) -> Result<String, InterpreterError> {
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0, line = 1, column = 1
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                break loop
            case .error:
                let byte = bytes[bytes.startIndex + offset]
                let hex = String(byte, radix: 16, uppercase: false)
                return .failure(InterpreterError(
                    .pythonError, "SyntaxError: \(shown) is not valid UTF-8: byte 0x\(hex.count == 1 ? "0" + hex : hex) at offset \(offset) cannot be decoded",
                    at: SourceSite(file: shown, line: line, column: column),
                    hint: "Save the file as UTF-8 (Python 3 reads source files as UTF-8 unless a coding line says otherwise)."))
            }
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// Checks the size of source text given in memory, then parses it on a large stack with the nesting limit.
    static func parse(_ source: String, file: String, limits: InterpreterLimits) -> Result<Module, InterpreterError> {
        guard source.utf8.count <= limits.fileBytes else {
            return .failure(InterpreterError(.limit, "\(file) is larger than the limit of \(limits.fileBytes) bytes: it is not checked",
                                             at: SourceSite(file: file, line: 1, column: 1), hint: "raise the limit with --max-file-size"))
        }
        do {
            return .success(try LargeStack.run { () throws(SyntaxError) -> Module in
                try parseModule(source, maximumNestingDepth: limits.nestingDepth)
            })
        } catch {
            return .failure(InterpreterError(.pythonError, "SyntaxError: \(error.message)",
                                             at: SourceSite(file: file, line: error.location.line, column: error.location.column)))
        }
    }
}
