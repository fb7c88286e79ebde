#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
@testable import LossDoctor

/// Runs `SourceChecker` on every loss file in `Tests/Fixtures/losses/` and checks its header:
///
/// - `# expect: LD101 LD105`: the exact set of rule codes of the file's findings, all losses of the file
///   together, infos included;
/// - `# expect: clean`: no error and no warning (infos such as LD405 scale-vs-reference, which fires for
///   every Dice-like loss, are allowed);
/// - `# not-analysed` (optional): the file cannot be analysed at all (the CLI reports its LD603/LD90x
///   errors and exits 1, as ruff does; the older `# exit: 2` means the same); without it, it must be;
/// - `# known-issue: why` (optional): LossDoctor is known to miss the header's set (a rule gap, reported);
///   the mismatch is recorded as a known issue, and the test fails once it no longer occurs.
///
/// Subdirectories hold multi-file fixtures (a loss and the sibling modules it imports): only files with an
/// `# expect:` header are checked, the others are helpers.
struct LossFixtureTests {
    static let directory = fixturesDirectory + "/losses"

    /// Paths of the fixtures relative to `directory`, sorted.
    static let fixtures: [String] = FixtureHeader.fixtures(in: directory)

    typealias Header = FixtureHeader

    /// The `# expect:`, `# exit:` and `# known-issue:` lines of a fixture, from its leading comment block.
    static func header(of relative: String) -> Header? {
        FixtureHeader.read(directory + "/" + relative)
    }

    @Test("fixture findings match the header", arguments: fixtures)
    func fixture(_ relative: String) throws {
        let header = try #require(Self.header(of: relative))
        let result = CheckPipeline.check(path: Self.directory + "/" + relative, display: relative)
        let findings = result.fileErrors + result.reports.flatMap(\.findings)
        let summary = findings.map { "\($0.code) \($0.site.map { "\($0.line):\($0.column)" } ?? "-") \($0.message)" }.joined(separator: "\n")
        #expect(result.couldNotAnalyse == header.exitTwo, "couldNotAnalyse = \(result.couldNotAnalyse)\n\(summary)")
        if let expected = header.codes {
            if let issue = header.knownIssue {
                withKnownIssue(Comment(rawValue: issue)) {
                    #expect(Set(findings.map(\.code)) == expected, "\(relative):\n\(summary)")
                }
            } else {
                #expect(Set(findings.map(\.code)) == expected, "\(relative):\n\(summary)")
            }
        } else {
            let serious = findings.filter { $0.severity != .info }
            #expect(serious.isEmpty, "\(relative) should be clean:\n\(summary)")
        }
    }

    @Test func everyFlatFixtureHasAHeader() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { $0.hasSuffix(".py") }
        for name in names { #expect(Self.header(of: name) != nil, "\(name) has no `# expect:` header") }
        #expect(Self.fixtures.count >= 30)
    }
}
