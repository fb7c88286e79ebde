#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A NumPy `.npy` array, read and written by our own code (the package has no dependencies): C order,
/// little-endian `float32`, `float64`, `int64` or `bool`, format versions 1.0 to 3.0.
/// [numpy/lib/format.py: magic `\x93NUMPY`, version, header length, a Python dict literal padded to 64 bytes]
struct NPYArray: Equatable, Sendable {
    /// The element types LossDoctor reads and writes.
    enum ElementType: String, Sendable, CaseIterable {
        case float32 = "<f4"
        case float64 = "<f8"
        case int64 = "<i8"
        case bool = "|b1"

        var byteCount: Int {
            switch self {
            case .float32: 4
            case .float64, .int64: 8
            case .bool: 1
            }
        }

        /// The NumPy name users know (`float32`), for messages.
        var numpyName: String { "\(self)" }
    }

    var shape: [Int]
    var elementType: ElementType
    /// The values in C (row-major) order, widened to double (exact for every supported type but large int64).
    var values: [Double]

    init(shape: [Int], elementType: ElementType = .float32, values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.elementType = elementType
        self.values = values
    }

    /// A float32 array of a tensor's values.
    init(_ tensor: Tensor) {
        self.init(shape: tensor.shape, elementType: .float32, values: tensor.scalars.map(Double.init))
    }

    /// The values as float32, what the engine computes in.
    var floats: [Float] { values.map(Float.init) }
}

/// Why a `.npy` file could not be read: each case says what the file holds and what LossDoctor accepts.
enum NPYError: Error, Equatable, Sendable, CustomStringConvertible {
    case notNPY
    case unsupportedVersion(major: Int, minor: Int)
    case truncated(expectedBytes: Int, actualBytes: Int)
    case malformedHeader(String)
    case fortranOrder
    case objectArray
    case unsupportedType(String)
    case trailingBytes(Int)
    case tooLarge(elements: Int, limit: Int)

    var description: String {
        switch self {
        case .notNPY: "not a .npy file: it does not start with the magic string \\x93NUMPY"
        case .unsupportedVersion(let major, let minor): ".npy format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are)"
        case .truncated(let expected, let actual): "the file is truncated: the header and shape need \(expected) bytes, the file has \(actual)"
        case .malformedHeader(let detail): "the .npy header is malformed: \(detail)"
        case .fortranOrder: "the array is stored in Fortran order; save it in C order (np.ascontiguousarray) and try again"
        case .objectArray: "the array holds Python objects (dtype object), which cannot be read without running code; save a numeric array"
        case .unsupportedType(let descr): "dtype '\(descr)' is not supported: use float32, float64, int64 or bool (little-endian)"
        case .trailingBytes(let count): "the file has \(count) bytes after the array's data: its shape does not match its size"
        case .tooLarge(let elements, let limit): "the array has \(elements) elements, over the limit of \(limit)"
        }
    }
}

extension NPYArray {
    /// The most elements a file may declare: 256M, far above any probe, below what would exhaust memory.
    static let elementLimit = 1 << 28

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Parses the bytes of a `.npy` file.
    init(bytes: [UInt8]) throws(NPYError) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == Self.magic else { throw .notNPY }
        let (major, minor) = (Int(bytes[6]), Int(bytes[7]))
        let lengthBytes: Int
        switch major {
        case 1: lengthBytes = 2
        case 2, 3: lengthBytes = 4
        default: throw .unsupportedVersion(major: major, minor: minor)
        }
        guard bytes.count >= 8 + lengthBytes else { throw .truncated(expectedBytes: 8 + lengthBytes, actualBytes: bytes.count) }
        var headerLength = 0
        for i in (0..<lengthBytes).reversed() { headerLength = headerLength << 8 | Int(bytes[8 + i]) }
        let dataStart = 8 + lengthBytes + headerLength
        guard bytes.count >= dataStart else { throw .truncated(expectedBytes: dataStart, actualBytes: bytes.count) }
        let headerBytes = bytes[(8 + lengthBytes)..<dataStart]
        // NumPy writes the header in ASCII (latin-1 in 1.0/2.0, UTF-8 in 3.0); anything else is not a header it wrote.
        guard headerBytes.allSatisfy({ $0 < 0x80 }) else { throw .malformedHeader("it is not ASCII text") }
        let header = String(decoding: headerBytes, as: UTF8.self)
        let fields = try NPYHeader.parse(header)
        if fields.descr.contains("O") { throw .objectArray }
        guard let type = ElementType(rawValue: fields.descr == "<b1" ? "|b1" : fields.descr == "|i8" ? "<i8" : fields.descr) else {
            throw .unsupportedType(fields.descr)
        }
        if fields.fortranOrder && fields.shape.filter({ $0 > 1 }).count > 1 { throw .fortranOrder }
        var count = 1
        for extent in fields.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= Self.elementLimit else { throw .tooLarge(elements: overflow ? Int.max : product, limit: Self.elementLimit) }
            count = product
        }
        let needed = dataStart + count * type.byteCount
        guard bytes.count >= needed else { throw .truncated(expectedBytes: needed, actualBytes: bytes.count) }
        guard bytes.count == needed else { throw .trailingBytes(bytes.count - needed) }
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let data = raw.baseAddress! + dataStart
            for i in 0..<count {
                let p = data + i * type.byteCount
                switch type {
                case .float32: values[i] = Double(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))))
                case .float64: values[i] = Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)))
                case .int64: values[i] = Double(Int64(littleEndian: p.loadUnaligned(as: Int64.self)))
                case .bool: values[i] = p.load(as: UInt8.self) == 0 ? 0 : 1
                }
            }
        }
        self.init(shape: fields.shape, elementType: type, values: values)
    }

    /// Reads a `.npy` file; a file that cannot be opened is reported with its path.
    init(contentsOf path: String) throws(NPYError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .malformedHeader("cannot read '\(path)'")
        }
        try self.init(bytes: [UInt8](data))
    }

    /// The bytes of a version 1.0 `.npy` file (C order, little-endian), as `np.save` writes them.
    var bytes: [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(elementType.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Magic (6) + version (2) + length (2) + header + newline: a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = Self.magic + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8)
        out.reserveCapacity(out.count + values.count * elementType.byteCount)
        for value in values {
            switch elementType {
            case .float32: withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { out += $0 }
            case .float64: withUnsafeBytes(of: value.bitPattern.littleEndian) { out += $0 }
            case .int64: withUnsafeBytes(of: Int64(exactly: value.rounded()) ?? 0) { out += $0 }
            case .bool: out.append(value == 0 ? 0 : 1)
            }
        }
        return out
    }

    /// Writes the array as a `.npy` file; returns false when the file cannot be created.
    @discardableResult
    func write(to path: String) -> Bool {
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }
}

/// The header's dict literal, `{'descr': '<f4', 'fortran_order': False, 'shape': (4, 64, 64, 1), }`: only the
/// three keys NumPy writes, each value in the one form NumPy writes it. Nothing is evaluated.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    static func parse(_ text: String) throws(NPYError) -> NPYHeader {
        var scanner = Scanner(Array(text.unicodeScalars))
        var descr: String?, fortran: Bool?, shape: [Int]?
        try scanner.expect("{")
        while true {
            scanner.skipSpaces()
            if scanner.take("}") { break }
            let key = try scanner.quoted()
            try scanner.expect(":")
            switch key {
            case "descr":
                scanner.skipSpaces()
                // A structured dtype is a list of fields: not an array of numbers.
                if scanner.peek == "[" { throw .unsupportedType("structured (a list of fields)") }
                descr = try scanner.quoted()
            case "fortran_order": fortran = try scanner.boolean()
            case "shape": shape = try scanner.tuple()
            default: throw .malformedHeader("unexpected key '\(key)'")
            }
            scanner.skipSpaces()
            if scanner.take(",") { continue }
            try scanner.expect("}")
            break
        }
        guard let descr, let fortran, let shape else {
            throw .malformedHeader("it needs the keys 'descr', 'fortran_order' and 'shape'")
        }
        return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0
        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func skipSpaces() { while let c = peek, c == " " || c == "\n" || c == "\t" { index += 1 } }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            skipSpaces()
            guard peek == c else { return false }
            index += 1
            return true
        }

        mutating func expect(_ c: Unicode.Scalar) throws(NPYError) {
            guard take(c) else { throw .malformedHeader("expected '\(c)' at character \(index + 1)") }
        }

        mutating func quoted() throws(NPYError) -> String {
            skipSpaces()
            guard let quote = peek, quote == "'" || quote == "\"" else { throw .malformedHeader("expected a quoted string at character \(index + 1)") }
            index += 1
            var out = ""
            while let c = peek, c != quote { out.unicodeScalars.append(c); index += 1 }
            guard peek == quote else { throw .malformedHeader("unterminated string") }
            index += 1
            return out
        }

        mutating func boolean() throws(NPYError) -> Bool {
            skipSpaces()
            for (word, value) in [("True", true), ("False", false)] {
                let w = Array(word.unicodeScalars)
                if index + w.count <= scalars.count, Array(scalars[index..<(index + w.count)]) == w {
                    index += w.count
                    return value
                }
            }
            throw .malformedHeader("expected True or False at character \(index + 1)")
        }

        mutating func tuple() throws(NPYError) -> [Int] {
            try expect("(")
            var out: [Int] = []
            while true {
                if take(")") { return out }
                skipSpaces()
                var digits = ""
                while let c = peek, ("0"..."9").contains(c) { digits.unicodeScalars.append(c); index += 1 }
                if take("L") {}  // Python 2 long suffix, as old files have it
                guard let value = Int(digits), digits.count <= 12 else { throw .malformedHeader("expected a non-negative integer in the shape") }
                out.append(value)
                if take(",") { continue }
                try expect(")")
                return out
            }
        }
    }
}
