import Foundation
import Testing
@testable import LossDoctor

/// `Finding` is `Codable` with the JSON report's keys, `Report` is `Equatable`, `Tensor` crosses tasks.
@Suite("finding and report values")
struct FindingCodingTests {
    @Test("a finding encodes with the JSON report's keys and decodes to itself")
    func roundTrip() throws {
        let report = CLI.report("dice-floor", options: CheckOptions(simulate: false))
        let finding = try #require(report.findings.first)
        let data = try JSONEncoder().encode(finding)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rendered = try #require(JSONRenderer().finding(finding).serialized().data(using: .utf8))
        let renderedKeys = try #require(try JSONSerialization.jsonObject(with: rendered) as? [String: Any]).keys
        #expect(Set(object.keys).isSubset(of: Set(renderedKeys)))
        #expect(object["code"] as? String == "LD101")
        #expect(try JSONDecoder().decode(Finding.self, from: data) == finding)
    }

    @Test("reports of the same loss with the same findings are equal; different findings are not")
    func reportEquality() {
        let a = CLI.report("dice-floor", options: CheckOptions(simulate: false))
        let b = Report(loss: a.loss, findings: a.findings, evidence: .none(a.loss))
        #expect(a == b)
        #expect(a != Report(loss: a.loss, findings: Array(a.findings.dropFirst()), evidence: a.evidence))
    }

    @Test("a tensor can be evaluated in another task")
    func tensorSendable() async throws {
        let tensor = Tensor(shape: [2], scalars: [1, 2])
        let sum = await Task.detached { try? tensor.sum().scalars[0] }.value
        #expect(sum == 3)
    }
}
