@testable import LossDoctor

/// Checks Python source text as `loss-doctor check` would, for tests.
func checkSource(_ source: String, file: String = "losses.py", function: String? = nil) -> SourceCheckResult {
    CheckPipeline.check(source: source, file: file, directory: nil, options: SourceOptions(function: function))
}

/// The repository's Tests/Fixtures directory.
let fixturesDirectory: String = {
    "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/") + "/Fixtures"
}()

extension SourceCheckResult {
    /// Every finding of every loss, and of the file.
    var allFindings: [Finding] { fileErrors + reports.flatMap(\.findings) }

    /// The codes found, sorted and unique.
    var codes: [String] { Array(Set(allFindings.map(\.code))).sorted() }

    /// Findings of one code as `line:column`.
    func places(_ code: String) -> [String] {
        allFindings.filter { $0.code == code }.compactMap { $0.site.map { "\($0.line):\($0.column)" } }
    }
}
