/// At most so many findings in one run's report: a file of 12,000 raising lines must not make a report
/// no one reads (and GitHub code scanning drops a SARIF run of more than 25,000 results). The findings
/// kept are each report's first; a note says how many were left out.
enum FindingCap {
    /// Findings of one loss (or one file that could not be analysed).
    static let perReport = 1_000
    /// Findings of a whole run, under GitHub's 25,000 results per SARIF run with room for the notes.
    static let perRun = 20_000

    /// The reports with their findings cut to the caps, each cut one ending with a note of what was left out.
    static func apply(_ reports: [Report]) -> [Report] {
        var left = perRun
        return reports.map { report in
            let allowed = Swift.max(0, Swift.min(perReport, left))
            left -= Swift.min(report.findings.count, allowed)
            guard report.findings.count > allowed else { return report }
            let omitted = report.findings.count - allowed
            let anchor = report.findings[allowed]
            let note = ResourceLimitRule().findingsLeftOut(omitted, of: report.loss, at: anchor.site)
            return report.replacingFindings(Array(report.findings.prefix(allowed)) + [note])
        }
    }
}
