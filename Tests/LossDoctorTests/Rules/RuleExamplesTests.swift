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

    @Test("every rule has a triggering and a passing example, all of them built-ins")
    func everyRuleHasExamples() {
        for rule in RuleRegistry.all {
            let d = rule.description
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
