import Foundation
import Testing
@testable import LossDoctor

/// The `.npy` reader and writer, on files as NumPy writes them and on files it rejects.
@Suite("npy files")
struct NPYTests {
    /// A header as `np.save` writes it (format 1.0, padded to 64 bytes), followed by `data`.
    static func file(_ header: String, _ data: [UInt8], version: UInt8 = 1) -> [UInt8] {
        let lengthBytes = version == 1 ? 2 : 4
        var text = header
        let unpadded = 8 + lengthBytes + text.utf8.count + 1
        text += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let n = text.utf8.count
        let length: [UInt8] = version == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8(n >> 8), 0, 0]
        return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + Array(text.utf8) + data
    }

    static func floats(_ values: [Float]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) } }

    /// The bytes of `np.save(f, np.array([[0.5, -1.25, 3.0]], dtype=np.float32))` (numpy 2.4.6), byte for byte.
    static let numpyFloat32: [UInt8] = file("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }", floats([0.5, -1.25, 3]))

    @Test("reads float32 as NumPy writes it, and writes the same bytes back")
    func roundTrip() throws {
        let array = try NPYArray(bytes: Self.numpyFloat32)
        #expect(array.shape == [1, 3])
        #expect(array.elementType == .float32)
        #expect(array.floats == [0.5, -1.25, 3])
        #expect(array.bytes == Self.numpyFloat32)
    }

    @Test("reads float64, int64 and bool, 1-d and 0-d, and format 2.0")
    func types() throws {
        let f64 = Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                            [0.1, -2.0].flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) })
        #expect(try NPYArray(bytes: f64).values == [0.1, -2.0])
        let i64 = Self.file("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                            [Int64(1), -7, 255].flatMap { v in withUnsafeBytes(of: v.littleEndian, Array.init) })
        #expect(try NPYArray(bytes: i64).values == [1, -7, 255])
        let bools = Self.file("{'descr': '|b1', 'fortran_order': False, 'shape': (2, 2), }", [1, 0, 0, 1])
        #expect(try NPYArray(bytes: bools).floats == [1, 0, 0, 1])
        let scalar = Self.file("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", Self.floats([2.5]), version: 2)
        let read = try NPYArray(bytes: scalar)
        #expect(read.shape == [] && read.floats == [2.5])
        for type in NPYArray.ElementType.allCases {
            let array = NPYArray(shape: [2], elementType: type, values: [0, 1])
            #expect(try NPYArray(bytes: array.bytes) == array, "\(type)")
        }
    }

    /// Each file NumPy can write but LossDoctor must refuse, with the reason the message gives.
    @Test("rejects bad files with a clear error", arguments: [
        (file("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", floats([1, 2, 3, 4])), NPYError.fortranOrder),
        (file("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", [0x80, 0x04]), .objectArray),
        (file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", floats([1, 2, 3, 4])), .truncated(expectedBytes: 152, actualBytes: 144)),
        (file("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", floats([1, 2])), .trailingBytes(4)),
        (file("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", floats([1])), .unsupportedType(">f4")),
        (file("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", floats([1, 2])), .unsupportedType("<c8")),
        (file("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", floats([1])), .unsupportedType("structured (a list of fields)")),
        (file("{'descr': '<f4', 'shape': (1,), }", floats([1])), .malformedHeader("it needs the keys 'descr', 'fortran_order' and 'shape'")),
        (file("{'descr': '<f4', 'fortran_order': False, 'shape': (1, __import__('os')), }", floats([1])), .malformedHeader("expected a non-negative integer in the shape")),
        (file("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000, 1000000), }", []), .tooLarge(elements: Int(1e12), limit: NPYArray.elementLimit)),
        (Array("just text, not an array".utf8), .notNPY),
        ([0x93] + Array("NUMPY".utf8) + [9, 0, 0, 0], .unsupportedVersion(major: 9, minor: 0)),
        ([0x93] + Array("NUMPY".utf8) + [1, 0, 200, 0, 123], .truncated(expectedBytes: 210, actualBytes: 11)),
    ] as [([UInt8], NPYError)])
    func rejects(_ bytes: [UInt8], _ expected: NPYError) {
        #expect(throws: expected) { try NPYArray(bytes: bytes) }
    }

    @Test("a Fortran-order array of one non-trivial axis is the same as C order, and is read")
    func fortranVector() throws {
        let bytes = Self.file("{'descr': '<f4', 'fortran_order': True, 'shape': (3, 1), }", Self.floats([1, 2, 3]))
        #expect(try NPYArray(bytes: bytes).floats == [1, 2, 3])
    }

    @Test("every prefix of a valid file is rejected, never read and never a crash")
    func truncatedPrefixes() {
        let bytes = NPYArray(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]).bytes
        for length in 0..<bytes.count {
            #expect(throws: NPYError.self) { try NPYArray(bytes: Array(bytes.prefix(length))) }
        }
    }

    @Test("error messages say what the file holds and what to do")
    func messages() {
        #expect(NPYError.fortranOrder.description.contains("np.ascontiguousarray"))
        #expect(NPYError.objectArray.description.contains("dtype object"))
        #expect(NPYError.unsupportedType("<c8").description == "dtype '<c8' is not supported: use float32, float64, int64 or bool (little-endian)")
    }
}
