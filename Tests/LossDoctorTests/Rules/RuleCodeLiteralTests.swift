import Foundation
import Testing
@testable import LossDoctor

/// A rule's code, name and severity are written once, in its file under `Rules/`; the rest of the code names
/// the rule by its typed description (`RuleDescription.floorDivision`), which the compiler checks. These tests
/// read the sources to keep it so.
@Suite("Rule codes in the sources")
struct RuleCodeLiteralTests {
    static let sources = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/") + "/Sources"
    static let rulesDirectory = "LossDoctor/Rules/"

    /// The Swift files under `Sources/`, as paths relative to it, with their lines.
    static func swiftFiles() throws -> [(path: String, lines: [Substring])] {
        try FileManager.default.subpathsOfDirectory(atPath: sources).filter { $0.hasSuffix(".swift") }.sorted().map { path in
            (path, try String(contentsOfFile: sources + "/" + path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false))
        }
    }

    /// The `"LD" + three digits` string literals of a line, anywhere in it (arrays, interpolations); none on a
    /// comment line, where doc comments show configuration like `select = ["LD1", "LD301"]`.
    static func codeLiterals(_ line: Substring) -> [String] {
        guard !line.drop(while: \.isWhitespace).hasPrefix("//") else { return [] }
        return line.matches(of: /"LD[0-9]{3}"/).map { String($0.output) }
    }

    @Test("no rule code is a string literal outside its rule's description (`code: \"LD101\"`), in Rules/ too")
    func noCodeLiteralsOutsideRules() throws {
        let files = try Self.swiftFiles()
        #expect(files.count > 100)
        var found: [String] = []
        var definitions = 0
        for (path, lines) in files {
            for (index, line) in lines.enumerated() {
                let literals = Self.codeLiterals(line)
                if path.hasPrefix(Self.rulesDirectory), literals.count == 1, line.contains("code: \(literals[0])") {
                    definitions += 1
                    continue
                }
                for literal in literals { found.append("Sources/\(path):\(index + 1): \(literal)") }
            }
        }
        #expect(definitions == RuleRegistry.all.count)
        #expect(found.isEmpty, "name the rule by its description (e.g. `.pythonError`) instead of its code:\n\(found.joined(separator: "\n"))")
    }

    /// Sweeps and cut ops are asked for by their types (`sweep(from: .perfect, to: .inverted, on: .balanced)`,
    /// `cuts(of: .floorDivide)`), never by the id or display name a report prints: a typo there compiles.
    @Test("no sweep id or op display name is looked up by a string literal")
    func noSweepOrOpLiterals() throws {
        var found: [String] = []
        for (path, lines) in try Self.swiftFiles() {
            for (index, line) in lines.enumerated() where !line.drop(while: \.isWhitespace).hasPrefix("//") {
                if line.contains(#"sweep(""#) || line.contains(#"cuts(named: ""#) { found.append("Sources/\(path):\(index + 1)") }
                // A sweep id written out (`"perfect->inverted@balanced"` or interpolated) anywhere but `SweepID`.
                if path != Self.probeIDFile, line.contains(/"[^"]*->[^"]*@[^"]*"/) { found.append("Sources/\(path):\(index + 1)") }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// The file that spells a probe's id (`ProbeID`); everywhere else a probe is named by its mask and prediction.
    static let probeIDFile = "LossDoctor/Probing/ProbeID.swift"

    /// The probe ids of a line written as string literals, `"imbalanced/all-background"`: a known mask, `/`, a known
    /// prediction, maybe a variant (`#doubled-batch`, `VariantProbeID`), the whole literal; none on a comment line.
    static func probeLiterals(_ line: Substring) -> [String] {
        guard !line.drop(while: \.isWhitespace).hasPrefix("//") else { return [] }
        let masks = Set(MaskKind.allCases.map(\.rawValue)), predictions = Set(PredictionKind.allCases.map(\.rawValue))
        return line.matches(of: /"([a-z-]+)\/([a-z-]+)(#[^"]*)?"/)
            .filter { masks.contains(String($0.output.1)) && predictions.contains(String($0.output.2)) }
            .map { String($0.output.0) }
    }

    /// A probe id typed as a string compiles with a typo (`"imbalanced/all-bakground"`) and outlives a renamed mask:
    /// findings and evidence name probes as `ProbeID.probe(.imbalanced, .allBackground)`.
    @Test("no probe id is a string literal outside ProbeID")
    func noProbeIDLiterals() throws {
        var found: [String] = []
        for (path, lines) in try Self.swiftFiles() where path != Self.probeIDFile {
            for (index, line) in lines.enumerated() {
                for literal in Self.probeLiterals(line) { found.append("Sources/\(path):\(index + 1): \(literal)") }
            }
        }
        #expect(found.isEmpty, "name the probe as `.probe(mask, prediction)` instead:\n\(found.joined(separator: "\n"))")
    }

    @Test("the probe-id scan finds whole literals of known masks and predictions only")
    func scanFindsProbeLiterals() {
        #expect(Self.probeLiterals(#"    probe: "imbalanced/all-background", numbers: [:])"#) == [#""imbalanced/all-background""#])
        #expect(Self.probeLiterals(#"    x == "balanced/inverted" || y == "empty/perfect""#) == [#""balanced/inverted""#, #""empty/perfect""#])
        #expect(Self.probeLiterals(#"    scale["imbalanced/random#doubled-batch"]"#) == [#""imbalanced/random#doubled-batch""#])
        #expect(Self.probeLiterals(#"    item(.scale, "mixed/soft#sample-\(s)", file)"#) == [#""mixed/soft#sample-\(s)""#])
        #expect(Self.probeLiterals(#"    let id = "perfect/balanced""#).isEmpty)
        #expect(Self.probeLiterals(#"    // probe: "imbalanced/perfect""#).isEmpty)
    }

    @Test("the scan finds literals in arrays and interpolations, and skips comment lines")
    func scanFindsLiterals() {
        #expect(Self.codeLiterals(#"    expected: ["LD101", "LD405"], target: .binary"#) == [#""LD101""#, #""LD405""#])
        #expect(Self.codeLiterals(#"    let m = "\(flag ? "LD603" : "LD901") raised""#) == [#""LD603""#, #""LD901""#])
        #expect(Self.codeLiterals(#"    /// select = ["LD1", "LD301"]"#).isEmpty)
        #expect(Self.codeLiterals(#"    // LD603 python-error, "LD901""#).isEmpty)
        #expect(Self.codeLiterals(#"    hint: "Give rule codes (LD101) or prefixes (LD1)""#).isEmpty)
    }

    @Test("every rule type declared under Rules/ is registered, and every rule description belongs to a registered rule")
    func everyRuleIsRegistered() throws {
        var declaredTypes: [String] = []
        var describedCodes: [String] = []
        for (path, lines) in try Self.swiftFiles() where path.hasPrefix(Self.rulesDirectory) {
            for line in lines {
                declaredTypes += line.matches(of: /^\s*(?:struct|final class|class|enum) (\w+)\s*:[^{]*\b(?:RaisedError)?Rule\b/).map { String($0.output.1) }
            }
            let text = lines.joined(separator: "\n")
            describedCodes += text.matches(of: /static let \w+ = RuleDescription\(\s*code: "(LD[0-9]{3})"/).map { String($0.output.1) }
        }
        let registeredTypes = RuleRegistry.all.map { String(describing: type(of: $0)) }
        #expect(Set(declaredTypes).subtracting(registeredTypes).sorted().isEmpty, "add them to RuleRegistry.all")
        #expect(declaredTypes.count == RuleRegistry.all.count)
        #expect(describedCodes.sorted() == RuleRegistry.all.map(\.description.code))
    }
}
