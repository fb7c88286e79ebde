/// Reading and parsing a source file within the limits: a file is read only if it is a regular file of
/// at most `fileBytes` bytes (a symlink to /dev/zero in a pull request must not hang the check), its
/// bytes must be UTF-8 (the error points at the first bad byte), and parsing runs on a large stack.
extension SourceChecker {
    /// The text of the file at `path`, or the located error that stops it from being checked. The file must
    /// resolve inside `boundary` (symlinks followed) to a regular file: a `.py` symlink to `/proc/self/environ`
    /// in a pull request must not print the CI's environment as a quoted source line.
    static func readSource(path: String, shown: String, limits: InterpreterLimits,
                           boundary: ReadBoundary) -> Result<String, InterpreterError> {
        let start = SourceSite(file: shown, line: 1, column: 1)
        switch boundary.read(path, limit: limits.fileBytes) {
        case .success(let bytes):
            return decodeUTF8(bytes[...], shown: shown)
        case .failure(.refused(let refusal)):
            return .failure(InterpreterError(.pythonError, "\(shown) \(refusal)", at: start,
                                             hint: "Check files inside the repository; LossDoctor does not follow links out of it."))
        case .failure(.unreadable(let reason)):
            return .failure(InterpreterError(.pythonError, "cannot read \(shown): \(reason)", at: start))
        case .failure(.tooLarge):
            return .failure(InterpreterError(.limit, "\(shown) is larger than the limit of \(limits.fileBytes) bytes: it is not checked",
                                             at: start, hint: "raise the limit with --max-file-size"))
        }
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
