#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import LossDoctor

/// The leading comment block of a loss fixture, shared by the fixture suites (`Tests/Fixtures/losses`,
/// `Tests/Fixtures/real-world`):
///
/// - `# expect: LD101 LD105`: the rule codes of the file's findings; `# expect: clean`: no error, no warning;
/// - `# not-analysed` (optional; `# exit: 2` before exit codes followed ruff's): the file cannot be analysed at all;
/// - `# known-issue: why` (optional): LossDoctor is known to miss the header; the mismatch is recorded as a
///   known issue, and the test fails once it no longer occurs.
///
/// Other `# key: value` lines of the block (`# framework:`, `# target:`, `# verified:`...) are kept in `fields`;
/// the real-world corpus passes `# ignore-index: 255` on as `--ignore-index 255` would.
struct FixtureHeader: Sendable {
    /// nil for `clean`.
    var codes: Set<String>?
    var exitTwo = false
    var knownIssue: String?
    /// Every `# key: value` line of the leading comment block, by key (the last one wins).
    var fields: [String: String] = [:]

    /// The header of a fixture's text; nil when it has no `# expect:` line.
    static func parse(_ text: String) -> FixtureHeader? {
        var fields: [String: String] = [:]
        var notAnalysed = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("#") else { break }
            let body = line.dropFirst().trimmingCharacters()
            if body == "not-analysed" { notAnalysed = true }
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = String(body[..<colon])
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "-" }) else { continue }
            fields[key] = String(body[body.index(after: colon)...]).trimmingCharacters()
        }
        guard let expect = fields["expect"] else { return nil }
        let words = expect.split(separator: " ").map(String.init)
        var header = FixtureHeader(codes: words == ["clean"] ? nil : Set(words))
        header.exitTwo = notAnalysed || fields["exit"] == "2"
        header.knownIssue = fields["known-issue"]
        header.fields = fields
        return header
    }

    static func read(_ path: String) -> FixtureHeader? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// Paths relative to `directory` of the `.py` files with a header, subdirectories included, sorted.
    static func fixtures(in directory: String) -> [String] {
        var found: [String] = []
        func visit(_ relative: String) {
            let path = relative.isEmpty ? directory : directory + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                if (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + child)) != nil {
                    visit(child)
                } else if name.hasSuffix(".py"), read(directory + "/" + child) != nil {
                    found.append(child)
                }
            }
        }
        visit("")
        return found.sorted()
    }
}
