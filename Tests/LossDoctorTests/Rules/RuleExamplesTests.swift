import Testing
@testable import LossDoctor

/// The examples in each rule's description are tests: the triggering built-ins must trigger it and the
/// passing ones must not.
@Suite("Rule examples")
struct RuleExamplesTests {
    struct Example: CustomTestStringConvertible, Sendable {
        let code: String
        let loss: String
        let triggers: Bool
        var testDescription: String { "\(code) \(triggers ? "fires on" : "is quiet on") \(loss)" }
    }

    static let examples: [Example] = RuleRegistry.all.flatMap { rule in
        rule.description.triggeringLosses.map { Example(code: rule.description.code, loss: $0, triggers: true) }
            + rule.description.passingLosses.map { Example(code: rule.description.code, loss: $0, triggers: false) }
    }

    @Test("rule examples", arguments: examples)
    func example(_ example: Example) {
        let fired = BuiltinReports.report(example.loss).codes.contains(example.code)
        #expect(fired == example.triggers, "\(example.testDescription)")
    }

    /// Source rules (LD6xx, LD9xx) are shown by Python, not by built-ins: their `example` must trigger
    /// them and their `useInstead` must not.
    static let sourceRules = RuleRegistry.all.filter { $0.description.triggeringLosses.isEmpty }.map(\.description.code)

    @Test("source rule examples: the example fires, the fix does not", arguments: sourceRules)
    func sourceExample(_ code: String) {
        let description = RuleRegistry.rule(code)!.description
        #expect(checkSource(description.example).codes.contains(code), "\(code) example")
        #expect(!checkSource(description.useInstead).codes.contains(code), "\(code) useInstead")
    }

    @Test("every rule has a triggering and a passing example: built-ins, or Python for source rules")
    func everyRuleHasExamples() {
        for rule in RuleRegistry.all {
            let d = rule.description
            if Self.sourceRules.contains(d.code) {
                #expect(d.category == "source" || d.category == "analysis", "\(d.code)")
                continue
            }
            #expect(!d.triggeringLosses.isEmpty && !d.passingLosses.isEmpty, "\(d.code)")
            for name in d.triggeringLosses + d.passingLosses { #expect(ReferenceLosses.named(name) != nil, "\(d.code): \(name)") }
        }
    }

    @Test("codes and names follow the spec's format and are unique")
    func codesAndNames() {
        let codes = RuleRegistry.all.map(\.description.code)
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        #expect(Set(RuleRegistry.all.map(\.description.name)).count == codes.count)
        for rule in RuleRegistry.all {
            let d = rule.description
            #expect(d.code.count == 5 && d.code.hasPrefix("LD"), "\(d.code)")
            #expect(d.name.allSatisfy { $0.isLowercase || $0 == "-" || $0.isNumber }, "\(d.name)")
            #expect(!d.fix.isEmpty && !d.rationale.isEmpty && !d.detection.isEmpty)
        }
        #expect(RuleRegistry.rule("floor-division")?.description.code == "LD101")
        #expect(RuleRegistry.rule("ld101")?.description.name == "floor-division")
    }
}
