#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
@testable import LossDoctor

/// Regression inputs in `Tests/Fixtures/hostile/`: every file that once crashed, hung or exhausted
/// LossDoctor (found by `Scripts/fuzz.sh` or by review) is checked here and must end with findings.
///
/// A file may say what it expects in its leading comment block:
///
/// - `# outcome: could-not-analyse` (the CLI exits 2) or `# outcome: analysed`;
/// - `# finding: CODE text`: a finding of that code whose message contains the text (repeatable).
///
/// Files from the fuzzer are kept as they were found (often not even text); they must simply be checked
/// without a crash, each finding with a message and a place.
struct HostileFixtureTests {
    static let directory = fixturesDirectory + "/hostile"

    static let files: [String] = {
        (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { !$0.hasPrefix(".") }.sorted() ?? []
    }()

    struct Expectations {
        var outcome: String?
        var findings: [(code: String, text: String)] = []
    }

    static func expectations(of name: String) -> Expectations {
        var expected = Expectations()
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return expected }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("#") else { break }
            let body = line.dropFirst().trimmingCharacters()
            if body.hasPrefix("outcome:") {
                expected.outcome = body.dropFirst("outcome:".count).trimmingCharacters()
            } else if body.hasPrefix("finding:") {
                let words = body.dropFirst("finding:".count).trimmingCharacters()
                let code = String(words.prefix { $0 != " " })
                expected.findings.append((code, String(words.dropFirst(code.count)).trimmingCharacters()))
            }
        }
        return expected
    }

    @Test("hostile regression inputs end with located findings", arguments: files)
    func regression(_ name: String) throws {
        let expected = Self.expectations(of: name)
        let clock = ContinuousClock()
        var result: SourceCheckResult?
        let elapsed = clock.measure { result = CheckPipeline.check(path: Self.directory + "/" + name, display: name) }
        let checked = try #require(result)
        let summary = checked.allFindings.map { "\($0.code) \($0.site.map { "\($0.line):\($0.column)" } ?? "-") \($0.message)" }
            .joined(separator: "\n")
        #expect(elapsed < .seconds(InterpreterLimits().seconds), "\(name) took \(elapsed)")
        #expect(!checked.allFindings.isEmpty || !checked.reports.isEmpty, "\(name): no finding and no report")
        for finding in checked.allFindings where finding.severity == .error {
            #expect(!finding.message.isEmpty && finding.site != nil, "\(name): an error without a message or a place\n\(summary)")
        }
        switch expected.outcome {
        case "could-not-analyse"?: #expect(checked.couldNotAnalyse, "\(name):\n\(summary)")
        case "analysed"?: #expect(!checked.couldNotAnalyse, "\(name):\n\(summary)")
        case let other?: Issue.record("\(name): unknown outcome \(other)")
        case nil: break
        }
        for (code, text) in expected.findings {
            #expect(checked.allFindings.contains { $0.code == code && $0.message.contains(text) },
                    "\(name): no \(code) saying \"\(text)\"\n\(summary)")
        }
    }

    @Test func thereAreRegressionInputs() {
        #expect(Self.files.count >= 10)
    }
}
