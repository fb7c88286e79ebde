import Testing
@testable import LossDoctor

/// What the findings say: the numbers and framework behaviour the issue asks for.
@Suite("Finding content")
struct FindingContentTests {
    @Test("dice-floor: floor-division names `//`, both frameworks, the flat sweep, and says it cannot train")
    func floorDivisionMessage() throws {
        let finding = try #require(BuiltinReports.report("dice-floor").findings.first { $0.code == "LD101" })
        #expect(finding.severity == .error)
        #expect(finding.message.contains("`//`"))
        #expect(finding.message.contains("cannot train"))
        let notes = finding.notes.joined(separator: "\n")
        #expect(notes.contains("No gradients provided for any variable"))
        #expect(notes.contains("derivative for aten::floor_divide is not implemented"))
        #expect(notes.contains("for 64 of 65 steps"))
    }

    @Test("dead-term names the floor division inside the dead term")
    func deadTerm() throws {
        let finding = try #require(BuiltinReports.report("bce-plus-dice-floor").findings.first { $0.code == "LD104" })
        #expect(finding.message.contains("`//`"))
        #expect(finding.message.contains("term 2 of 2"))
    }

    @Test("non-finite names the first probe and op: 0/0 on the empty mask")
    func nonFinite() throws {
        let finding = try #require(BuiltinReports.report("dice-no-smooth").findings.first { $0.code == "LD201" })
        #expect(finding.probe == "empty/perfect")
        #expect(finding.message.contains("`/`"))
        #expect(finding.notes.first?.contains("0/0") == true)
    }

    @Test("focal-tversky-075: the gradient, not the value, is NaN at the perfect prediction (measured in PyTorch)")
    func focalTverskyGradient() throws {
        let finding = try #require(BuiltinReports.report("focal-tversky-075").findings.first { $0.code == "LD201" })
        #expect(finding.message.contains("gradient"))
        #expect(finding.probe?.hasSuffix("/perfect") == true)
    }

    @Test("zero-gradient names round; no-gradient names the comparison")
    func namesTheOp() throws {
        #expect(BuiltinReports.report("dice-round").findings.first { $0.code == "LD103" }?.message.contains("`round`") == true)
        #expect(BuiltinReports.report("dice-threshold").findings.first { $0.code == "LD102" }?.message.contains("`>`") == true)
    }

    @Test("a Swift closure can be checked through the library API")
    func closureAPI() {
        let report = LossCheck.check(name: "closure-floor") { y, p in
            try 1 - (2 * (y * p).sum() + 1).floorDivided(by: y.sum() + p.sum() + 1)
        }
        #expect(report.codes.contains("LD101"))
        #expect(report.worstSeverity == .error)
    }
}
