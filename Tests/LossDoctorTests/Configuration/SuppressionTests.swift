import Testing
@testable import LossDoctor

@Suite("Suppression comments")
struct SuppressionTests {
    /// The Keras floor-division Dice, with `comment` on line `line` (3: the def, 5: the `//`).
    static func floorDice(line: Int, _ comment: String) -> String {
        var lines = TemporaryProject.floorDice.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[line - 1] += "  " + comment
        return lines.joined(separator: "\n")
    }

    func codes(_ source: String, function: String? = nil) -> [String] {
        checkSource(source, function: function).allFindings.map(\.code).sorted()
    }

    @Test("the directives a comment holds", arguments: [
        ("# loss-doctor: ignore[LD101]", [Suppression.Kind.lossDoctor], [["LD101"]] as [[String]?]),
        ("# loss-doctor: ignore[LD101, piecewise-constant]", [.lossDoctor], [["LD101", "LD105"]]),
        ("# loss-doctor: ignore", [.lossDoctor], [nil]),
        ("#loss-doctor:ignore[ld101]", [.lossDoctor], [["LD101"]]),
        ("# noqa: LD101,LD105 E501", [.noqa], [["LD101", "LD105"]]),
        ("# noqa", [.noqa], [nil]),
        ("# NOQA:LD405", [.noqa], [["LD405"]]),
        ("# noqa: E501", [], []),
        ("# type: ignore  # noqa: LD101", [.noqa], [["LD101"]]),
        ("# see noqalike", [], []),
        ("# an ordinary comment", [], []),
    ] as [(String, [Suppression.Kind], [[String]?])])
    func parsing(text: String, kinds: [Suppression.Kind], codes: [[String]?]) {
        let found = Suppression.parse(Comment(text: text, location: SourcePosition(line: 4, column: 9)), file: "f.py")
        #expect(found.map(\.kind) == kinds, "\(text)")
        #expect(found.map(\.codes) == codes, "\(text)")
        #expect(found.allSatisfy { $0.site.line == 4 && $0.malformed == nil })
    }

    @Test("a directive's column and text point at it inside a longer comment")
    func site() {
        let found = Suppression.parse(Comment(text: "# type: ignore  # noqa: LD101  (why)", location: SourcePosition(line: 2, column: 10)), file: "f.py")
        #expect(found.first?.site.column == 10 + 16)
        #expect(found.first?.site.text == "# noqa: LD101")
    }

    @Test("on the finding's line it silences exactly that rule there")
    func sameLine() {
        #expect(codes(Self.floorDice(line: 5, "# loss-doctor: ignore[LD101]")) == ["LD105", "LD405"])
        #expect(codes(Self.floorDice(line: 5, "# noqa: LD101")) == ["LD105", "LD405"])
        #expect(codes(Self.floorDice(line: 4, "# loss-doctor: ignore[LD101]")) == ["LD101", "LD105", "LD405", "LD606"],
                "the line above is not the finding's line: the suppression is unused")
    }

    @Test("on the def line it silences the rule in the whole loss; bare, every rule")
    func defLine() {
        #expect(codes(Self.floorDice(line: 3, "# loss-doctor: ignore[LD105, LD405]")) == ["LD101"])
        #expect(codes(Self.floorDice(line: 3, "# noqa: LD101")) == ["LD105", "LD405"])
        #expect(codes(Self.floorDice(line: 3, "# loss-doctor: ignore")) == [])
        #expect(codes(Self.floorDice(line: 3, "# noqa")) == [])
    }

    @Test("on a helper's def line it silences the rule inside the helper (the seed's dice_coef)")
    func helperDefinition() {
        let source = """
            from tensorflow.keras import backend as K

            def dice_coef(y_true, y_pred):  # loss-doctor: ignore[LD101]
                intersection = K.sum(y_true * y_pred)
                return (2 * intersection + 1) // (K.sum(y_true) + K.sum(y_pred) + 1)

            def dice_coef_loss(y_true, y_pred):
                return 1 - dice_coef(y_true, y_pred)
            """
        let result = checkSource(source)
        #expect(result.reports.map(\.loss) == ["dice_coef_loss"])
        #expect(!result.codes.contains("LD101") && !result.codes.contains("LD606"))
    }

    @Test("unused, unknown and malformed suppressions are reported as LD606 at the comment")
    func unused() throws {
        let unused = checkSource(Self.floorDice(line: 5, "# loss-doctor: ignore[LD101, LD202]"))
        let finding = try #require(unused.allFindings.first { $0.code == "LD606" })
        #expect(finding.severity == .info)
        #expect(finding.message == "unused suppression `# loss-doctor: ignore[LD101, LD202]`: no LD202 finding where it applies")
        #expect(finding.fix == "Remove LD202 from the suppression.")
        #expect(finding.site?.line == 5 && finding.site?.column == 68)
        #expect(!unused.codes.contains("LD101"))

        let unknown = checkSource(Self.floorDice(line: 5, "# loss-doctor: ignore[LD1O1]")).allFindings.filter { $0.code == "LD606" }
        #expect(unknown.map(\.message) == ["suppression names no rule: `LD1O1`"])
        #expect(unknown.first?.notes == ["did you mean LD101?"])

        let malformed = checkSource(Self.floorDice(line: 5, "# loss-doctor: ignroe[LD101]")).allFindings.filter { $0.code == "LD606" }
        #expect(malformed.first?.message.hasPrefix("malformed suppression: unknown directive `ignroe`") == true)
    }

    @Test("not reported: a bare noqa, another tool's noqa, training rules without the simulated run, other losses under --function")
    func notReported() {
        #expect(!codes(Self.floorDice(line: 4, "# noqa")).contains("LD606"))
        #expect(!codes(Self.floorDice(line: 4, "# noqa: E501")).contains("LD606"))
        #expect(!codes(Self.floorDice(line: 3, "# loss-doctor: ignore[LD501]")).contains("LD606"))
        let two = TemporaryProject.floorDice + """
            def mse(y_true, y_pred):  # loss-doctor: ignore[LD101]
                return K.mean((y_true - y_pred) ** 2)

            """
        #expect(codes(two).contains("LD606"))
        #expect(!codes(two, function: "dice_loss").contains("LD606"))
        #expect(codes(two, function: "mse").contains("LD606"))
    }

    @Test("through the CLI: suppressions apply per file, and LD606 can itself be ignored")
    func commandLine() throws {
        let project = try TemporaryProject(["losses.py": Self.floorDice(line: 5, "# loss-doctor: ignore[LD101, LD202]")])
        #expect(try project.codes([project.path("losses.py")]) == ["LD105", "LD405", "LD606"])
        #expect(try project.codes([project.path("losses.py"), "--ignore", "unused-suppression"]) == ["LD105", "LD405"])
        let text = project.run(["check", project.path("losses.py"), "--no-simulate"])
        #expect(text.exitCode == 0, "LD101 is silenced; the rest is below --fail-on error")
        #expect(text.stdout.contains("info[LD606] unused-suppression"))
    }
}
