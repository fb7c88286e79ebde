import Testing
@testable import LossDoctor

/// `loss-doctor show NAME` prints source a user can paste: interpreted, it must behave like the built-in.
@Suite("Reference sources")
struct ReferenceSourceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let framework: ReferenceSource.Framework
        var testDescription: String { "\(name) in \(framework.rawValue)" }
    }

    static let cases = ReferenceSource.names.flatMap { name in ReferenceSource.Framework.allCases.map { Case(name: name, framework: $0) } }

    @Test("the shown source gives the built-in's values and findings", arguments: cases)
    func sameAsBuiltin(_ example: Case) throws {
        let source = try #require(ReferenceSource.source(example.name, example.framework))
        let result = checkSource(source, file: "\(example.name).py")
        let report = try #require(result.reports.first, "\(result.fileErrors.map(\.message))")
        let builtin = BuiltinReports.report(example.name)
        #expect(report.evidence.failures.isEmpty, "\(report.evidence.failures.first?.message ?? "")")
        #expect(report.evidence.domain == ReferenceLosses.named(example.name)?.domain)
        for (shown, expected) in zip(report.evidence.observations, builtin.evidence.observations) {
            let tolerance = 1e-4 * Swift.max(1, Swift.abs(expected.value))
            #expect(Swift.abs(shown.value - expected.value) <= tolerance || (shown.value.isNaN && expected.value.isNaN),
                    "\(shown.probe): \(shown.value) vs \(expected.value)")
        }
        #expect(report.codes == builtin.codes)
    }

    @Test("every healthy reference but generalized-dice has a source form")
    func coverage() {
        let missing = ReferenceLosses.healthy.map(\.name).filter { ReferenceSource.source($0, .keras) == nil }
        #expect(missing == ["generalized-dice"])
    }
}
