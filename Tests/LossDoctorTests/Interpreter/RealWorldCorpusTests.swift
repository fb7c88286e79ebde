#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
@testable import LossDoctor

/// Runs `SourceChecker` on every loss file of `Tests/Fixtures/real-world/`: losses written anew from the
/// constructs, APIs and bugs of public repositories (`SOURCES.md`), each run in its real framework
/// (`# verified:`). The header (`FixtureHeader`) holds the truth an expert would want reported:
///
/// - `# expect: clean`: no error and no warning (infos are allowed);
/// - `# expect: LD101 LD501`: every listed code is reported, and no other error or warning (infos not listed
///   are allowed: LD405 and LD403 accompany most overlap losses);
/// - `# known-issue: why`: LossDoctor does not match the truth today (a gap other work closes); the test fails
///   once the mismatch no longer occurs, so the list shrinks honestly.
struct RealWorldCorpusTests {
    static let directory = fixturesDirectory + "/real-world"
    static let fixtures: [String] = FixtureHeader.fixtures(in: directory)

    /// Each fixture's header and verdict, computed once (with the simulated run, as `loss-doctor check` does by
    /// default) and shared by the per-fixture test and the totals.
    static let verdicts: [String: (header: FixtureHeader, verdict: Verdict)] = {
        var all: [String: (header: FixtureHeader, verdict: Verdict)] = [:]
        for relative in fixtures {
            guard let header = FixtureHeader.read(directory + "/" + relative) else { continue }
            all[relative] = (header, verdict(relative, header))
        }
        return all
    }()

    /// How a fixture's findings compare with its header.
    struct Verdict: Sendable {
        var analysed: Bool
        var matches: Bool
        var falseErrors: [String]
        var falseWarnings: [String]
        var missing: [String]
        var summary: String
    }

    static func verdict(_ relative: String, _ header: FixtureHeader, options: SourceOptions? = nil) -> Verdict {
        let result = CheckPipeline.check(path: directory + "/" + relative, display: relative,
                                         options: options ?? Self.options(header), simulate: true)
        let findings = result.fileErrors + result.reports.flatMap(\.findings)
        let expected = header.codes ?? []
        let serious = findings.filter { $0.severity != .info }
        let falseErrors = Set(serious.filter { $0.severity == .error && !expected.contains($0.code) }.map(\.code)).sorted()
        let falseWarnings = Set(serious.filter { $0.severity == .warning && !expected.contains($0.code) }.map(\.code)).sorted()
        let found = Set(findings.map(\.code))
        let missing = expected.subtracting(found).sorted()
        let analysed = !result.couldNotAnalyse && !findings.contains { $0.code.hasPrefix("LD9") }
        let summary = findings.map { "\($0.code) \($0.severity) \($0.site.map { "\($0.line):\($0.column)" } ?? "-") \($0.message)" }
            .joined(separator: "\n")
        return Verdict(
            analysed: analysed,
            matches: result.couldNotAnalyse == header.exitTwo && falseErrors.isEmpty && falseWarnings.isEmpty && missing.isEmpty,
            falseErrors: falseErrors, falseWarnings: falseWarnings, missing: missing, summary: summary)
    }

    /// What the user would say on the command line: `# ignore-index: 255` is `--ignore-index 255` (their label
    /// maps carry it). `# target:` and `# classes:` only document the truth: the corpus measures their inference.
    static func options(_ header: FixtureHeader) -> SourceOptions {
        var options = SourceOptions()
        options.ignoreIndex = header.fields["ignore-index"].flatMap { Int($0) }
        // The corpus measures findings, not speed: the 20 s wall-clock deadline is a user's safety net, and here
        // the corpus shares two cores with the rest of the suite (the soft-skeleton clDice takes about 20 s of CPU
        // alone; LimitTests pin the deadline itself).
        options.limits.seconds = 120
        return options
    }

    /// The task as a user states it once for a project (`--input`, `--target`, `--classes`, `--volume`, or the same
    /// keys in `pyproject.toml`), read from the header's `# input:`, `# target:`, `# classes:`, `# volume:`; nil for
    /// a fixture whose header states none.
    static func taskOptions(_ header: FixtureHeader) -> SourceOptions? {
        let fields = header.fields
        guard fields["input"] != nil || fields["target"] != nil || fields["classes"] != nil || fields["volume"] != nil
        else { return nil }
        var options = options(header)
        options.input = fields["input"].flatMap(InputDomain.init(rawValue:))
        options.target = fields["target"].flatMap(TargetKind.init(rawValue:))
        options.classes = fields["classes"].flatMap { Int($0) }
        options.volume = fields["volume"] == "3d" ? true : nil
        return options
    }

    /// What the file alone cannot tell (a softmax Dice over one output channel or three, a model that ends in a
    /// sigmoid or not, volumes or images) is known once the task is given: then every fixture matches its header
    /// exactly, known issues included. A fixture whose header states no task is checked the same way by the test
    /// above, so it must have no known issue.
    @Test("real-world fixture findings match the header when the task is given", arguments: fixtures)
    func fixtureWithTaskGiven(_ relative: String) throws {
        let header = try #require(FixtureHeader.read(Self.directory + "/" + relative))
        guard let options = Self.taskOptions(header) else {
            #expect(header.knownIssue == nil, "\(relative) has a known issue but states no task")
            return
        }
        #expect(options.input != nil || header.fields["input"] == nil, "\(relative): unknown `# input:`")
        #expect(options.target != nil || header.fields["target"] == nil, "\(relative): unknown `# target:`")
        let v = Self.verdict(relative, header, options: options)
        #expect(v.matches, Comment(rawValue: """
            \(relative) with the task given: missing \(v.missing), unexpected errors \(v.falseErrors), unexpected warnings \(v.falseWarnings)
            \(v.summary)
            """))
    }

    @Test("real-world fixture findings match the header", arguments: fixtures)
    func fixture(_ relative: String) throws {
        let (header, v) = try #require(Self.verdicts[relative])
        let message = Comment(rawValue: """
            \(relative): missing \(v.missing), unexpected errors \(v.falseErrors), unexpected warnings \(v.falseWarnings)
            \(v.summary)
            """)
        if let issue = header.knownIssue {
            withKnownIssue(Comment(rawValue: issue)) { #expect(v.matches, message) }
        } else {
            #expect(v.matches, message)
        }
    }

    /// `LOSSDOCTOR_UPDATE_GOLDEN=1 swift test -c release --filter RealWorldCorpus` rewrites each fixture's
    /// `# known-issue:` line from today's verdict (removed where it now matches); review the diff.
    @Test func knownIssueLines() throws {
        guard Golden.updating else { return }
        for relative in Self.fixtures {
            guard let (_, v) = Self.verdicts[relative] else { continue }
            let path = Self.directory + "/" + relative
            let text = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .filter { !$0.hasPrefix("# known-issue:") }
            if !v.matches {
                var parts: [String] = []
                if !v.missing.isEmpty { parts.append("misses " + v.missing.joined(separator: " ")) }
                if !v.falseErrors.isEmpty { parts.append("also errors " + v.falseErrors.joined(separator: " ")) }
                if !v.falseWarnings.isEmpty { parts.append("also warns " + v.falseWarnings.joined(separator: " ")) }
                if parts.isEmpty { parts.append(v.analysed ? "differs on whether the file can be analysed" : "cannot analyse the file") }
                let firstLine = v.summary.split(separator: "\n").first.map { " (" + String($0.prefix(120)) + ")" } ?? ""
                let header = lines.prefix { $0.hasPrefix("#") }.count
                let at = (lines[..<header].lastIndex { $0.hasPrefix("# verified:") || $0.hasPrefix("# expect:") } ?? 0) + 1
                lines.insert("# known-issue: today LossDoctor " + parts.joined(separator: "; ") + firstLine, at: at)
            }
            let updated = lines.joined(separator: "\n")
            if updated != text { try Data(updated.utf8).write(to: URL(filePath: path)) }
        }
    }

    /// Every fixture says what it is and how it was verified, and the corpus keeps its promised size.
    @Test func corpusIsComplete() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { $0.hasSuffix(".py") }
        for name in names {
            let header = FixtureHeader.read(Self.directory + "/" + name)
            #expect(header != nil, "\(name) has no `# expect:` header")
            #expect(header?.fields["framework"] != nil, "\(name) has no `# framework:` line")
            #expect(header?.fields["verified"] != nil, "\(name) has no `# verified:` line")
        }
        let headers = Self.fixtures.compactMap { FixtureHeader.read(Self.directory + "/" + $0) }
        #expect(headers.count >= 150)
        #expect(headers.filter { $0.codes == nil }.count >= 80, "at least 80 healthy losses")
    }

    /// The corpus totals of today's LossDoctor (printed; the README's "before" numbers come from here), and
    /// the count of mismatches agrees with the count of fixtures that declare a known issue.
    @Test func corpusTotals() {
        var analysed = 0, exact = 0, healthy = 0, healthyWithErrors = 0, healthyWithWarnings = 0
        var mismatchedWithoutIssue: [String] = []
        var knownIssues = 0
        for relative in Self.fixtures {
            guard let (header, v) = Self.verdicts[relative] else { continue }
            if v.analysed { analysed += 1 }
            if v.matches { exact += 1 }
            if header.knownIssue != nil { knownIssues += 1 }
            if !v.matches && header.knownIssue == nil { mismatchedWithoutIssue.append(relative) }
            if header.codes == nil {
                healthy += 1
                if !v.falseErrors.isEmpty { healthyWithErrors += 1 }
                if !v.falseWarnings.isEmpty { healthyWithWarnings += 1 }
            }
        }
        print("""
            real-world corpus: \(Self.fixtures.count) losses, \(analysed) analysed, \(exact) exact match, \
            \(Self.fixtures.count - exact) known issues; healthy: \(healthy), \(healthyWithErrors) with a false \
            error, \(healthyWithWarnings) with a false warning
            """)
        #expect(mismatchedWithoutIssue.isEmpty, "mismatches without a known-issue line: \(mismatchedWithoutIssue)")
        #expect(Self.fixtures.count - exact == knownIssues, "every known issue still occurs")
    }
}
