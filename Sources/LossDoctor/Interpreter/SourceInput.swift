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
            return decode(bytes[...], shown: shown)
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

    /// Source bytes as Python reads them (PEP 263, PEP 3120): a UTF-8 byte-order mark is dropped; a coding
    /// declaration in the first two lines names the encoding: UTF-8 (the default) or Latin-1, the only
    /// others seen in loss files; any other is refused, located on its line.
    static func decode(_ bytes: ArraySlice<UInt8>, shown: String) -> Result<String, InterpreterError> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return decodeUTF8(bytes.dropFirst(3), shown: shown) }
        var lineStart = bytes.startIndex
        for line in 1...2 {
            let end = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            if let codec = codingDeclaration(bytes[lineStart..<end]) {
                switch codec {
                case "utf-8", "utf8", "utf_8", "u8", "utf": break
                case "latin-1", "latin1", "latin_1", "iso-8859-1", "iso8859-1", "iso_8859_1", "l1":
                    return .success(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })))
                default:
                    return .failure(InterpreterError(.pythonError, "SyntaxError: \(shown) declares the encoding '\(codec)', which LossDoctor does not read",
                                                     at: SourceSite(file: shown, line: line, column: 1),
                                                     hint: "Save the file as UTF-8 and drop the coding line."))
                }
                break
            }
            guard end < bytes.endIndex else { break }
            lineStart = end + 1
        }
        return decodeUTF8(bytes, shown: shown)
    }

    /// The codec a comment line declares (`# -*- coding: latin-1 -*-`, `# vim: set fileencoding=utf-8 :`),
    /// lowercased, as CPython's `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`.
    static func codingDeclaration(_ line: ArraySlice<UInt8>) -> String? {
        let text = Array(String(decoding: line, as: UTF8.self).unicodeScalars)
        var index = 0
        while index < text.count, text[index] == " " || text[index] == "\t" || text[index] == "\u{0C}" { index += 1 }
        guard index < text.count, text[index] == "#" else { return nil }
        let word: [Unicode.Scalar] = ["c", "o", "d", "i", "n", "g"]
        var at = index
        while at + word.count < text.count {
            if Array(text[at..<at + word.count]) == word, text[at + word.count] == ":" || text[at + word.count] == "=" {
                var cursor = at + word.count + 1
                while cursor < text.count, text[cursor] == " " || text[cursor] == "\t" { cursor += 1 }
                var name = ""
                while cursor < text.count {
                    let c = text[cursor]
                    let isNameCharacter = c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" || c == "."
                    guard isNameCharacter else { break }
                    name.unicodeScalars.append(c)
                    cursor += 1
                }
                if !name.isEmpty { return name.lowercased() }
            }
            at += 1
        }
        return nil
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
