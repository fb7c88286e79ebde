import Testing
@testable import LossDoctor

/// Issue 16, step 7 (encodings): a UTF-8 byte-order mark and a coding declaration are valid Python.
@Suite("Source encodings as Python reads them")
struct SourceEncodingTests {
    static let body = "import torch\ndef my_loss(pred, target):\n    s = \"caf\u{E9}\"\n    return ((pred - target) ** 2).mean() * len(s)\n"

    @Test("a UTF-8 byte-order mark is dropped, columns unchanged")
    func byteOrderMark() throws {
        let text = try SourceChecker.decode([0xEF, 0xBB, 0xBF] + Array(Self.body.utf8)[...], shown: "bom.py").get()
        #expect(text == Self.body)
    }

    @Test("coding declarations in the first two lines: UTF-8 and Latin-1 read, others refused on their line",
          arguments: [("# -*- coding: utf-8 -*-\n", "utf-8"), ("#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\n", "latin-1"),
                      ("# coding=ISO-8859-1\n", "iso-8859-1")])
    func declarations(_ header: String, _ codec: String) throws {
        let bytes = codec == "utf-8" ? Array((header + Self.body).utf8) : Array(header.utf8) + Self.body.unicodeScalars.map { UInt8($0.value) }
        #expect(SourceChecker.codingDeclaration(Array(header.split(separator: "\n").last!.utf8)[...]) == codec)
        #expect(try SourceChecker.decode(bytes[...], shown: "x.py").get() == header + Self.body)
    }

    @Test("an encoding LossDoctor cannot read is a located error; a coding word elsewhere is no declaration")
    func refused() {
        guard case .failure(let error) = SourceChecker.decode(Array("x = 1\n# coding: shift_jis\n".utf8)[...], shown: "x.py") else {
            Issue.record("expected a failure"); return
        }
        #expect(error.message == "SyntaxError: x.py declares the encoding 'shift_jis', which LossDoctor does not read")
        #expect(error.site?.line == 2)
        #expect(SourceChecker.codingDeclaration(Array("x = 'coding: latin-1'".utf8)[...]) == nil)
        #expect((try? SourceChecker.decode(Array("x = 1\n\n# coding: shift_jis\n".utf8)[...], shown: "x.py").get()) != nil)
    }
}
