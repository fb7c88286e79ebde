#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
@testable import LossDoctor

/// The README is the front door: its rule table must list exactly the registered rules.
@Test("the README's rule table lists every registered rule with its name and severity")
func readmeRuleTable() throws {
    let path = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/") + "/README.md"
    let readme = try #require(FileManager.default.contents(atPath: path).flatMap { String(validating: $0, as: UTF8.self) })
    let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| LD") }
    #expect(rows.count == RuleRegistry.all.count)
    for rule in RuleRegistry.all.map(\.description) {
        #expect(rows.contains { $0.hasPrefix("| \(rule.code) | `\(rule.name)` | \(rule.severity.rawValue) |") }, "\(rule.code)")
    }
}
