import LossDoctor
import Testing
import XCTest

// Assertions that a loss is healthy, for your own test suites: each checks the loss and, when a finding is
// at or above the threshold, fails the calling test with the findings, pointing at the call.
//
// They work in XCTest and in Swift Testing. Before Swift 6.4 an `XCTFail` inside a Swift Testing `@Test`
// is silently ignored, and `Issue.record` outside one records nothing either: the failure is routed to
// `Issue.record` when `Test.current` is set, else to `XCTFail`.

/// Fails the current test when the report has a finding at or above `severity`, listing those findings.
///
/// ```swift
/// @Test func diceLossIsHealthy() throws {
///     assertHealthyLoss(try LossCheck.check(builtin: "soft-dice"))
/// }
/// ```
///
/// - Parameters:
///   - report: a report from `LossCheck.check`.
///   - severity: the lowest severity that fails; `.warning` by default, so infos pass (the sense of
///     "healthy" in the rule catalogue).
///   - ignoring: rules not to fail on: codes (`LD405`), names (`scale-vs-reference`) or prefixes (`LD4`).
/// - Returns: whether the loss passed.
@discardableResult
public func assertHealthyLoss(
    _ report: Report, failingOn severity: Severity = .warning, ignoring: [String] = [],
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: Int = #column
) -> Bool {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    return HealthCheck(severity: severity, ignoring: ignoring, site: site).verify([report], fileErrors: [])
}

/// Fails the current test when the built-in loss `name` has a finding at or above `severity`.
///
/// - Parameters:
///   - name: a built-in loss (`loss-doctor list losses`), e.g. `soft-dice`.
///   - severity: the lowest severity that fails (`.warning` by default).
///   - ignoring: rules not to fail on: codes, names or prefixes.
///   - simulate: also run the simulated training (rules LD501-LD505; about a second).
/// - Returns: whether the loss passed (false for an unknown name, which fails the test too).
@discardableResult
public func assertHealthyLoss(
    builtin name: String, failingOn severity: Severity = .warning, ignoring: [String] = [], simulate: Bool = false,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: Int = #column
) -> Bool {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    let report: Report
    do {
        report = try LossCheck.check(builtin: name, simulate: simulate)
    } catch {
        site.fail(error.description)
        return false
    }
    return HealthCheck(severity: severity, ignoring: ignoring, site: site).verify([report], fileErrors: [])
}

/// Fails the current test when a loss defined in the Python source has a finding at or above `severity`,
/// or when the source cannot be analysed. Suppression comments in the source apply.
///
/// - Parameters:
///   - source: Python text defining one or more losses.
///   - file: the name findings point at.
///   - options: which function to check, the input domain and layout when not inferred.
///   - severity: the lowest severity that fails (`.warning` by default).
///   - ignoring: rules not to fail on: codes, names or prefixes.
///   - simulate: also run the simulated training (rules LD501-LD505).
/// - Returns: whether every loss passed.
@discardableResult
public func assertHealthyLoss(
    source: String, file: String = "loss.py", options: SourceOptions = SourceOptions(),
    failingOn severity: Severity = .warning, ignoring: [String] = [], simulate: Bool = false,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: Int = #column
) -> Bool {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    let result = LossCheck.check(source: source, file: file, options: options, simulate: simulate)
    return HealthCheck(severity: severity, ignoring: ignoring, site: site).verify(result.reports, fileErrors: result.fileErrors)
}

/// Fails the current test when a loss of the Python file has a finding at or above `severity`, or when
/// the file cannot be analysed.
///
/// - Parameters:
///   - path: the file.
///   - options: which function to check, the input domain and layout when not inferred.
///   - severity: the lowest severity that fails (`.warning` by default).
///   - ignoring: rules not to fail on: codes, names or prefixes.
///   - simulate: also run the simulated training (rules LD501-LD505).
/// - Returns: whether every loss passed.
@discardableResult
public func assertHealthyLoss(
    contentsOf path: String, options: SourceOptions = SourceOptions(),
    failingOn severity: Severity = .warning, ignoring: [String] = [], simulate: Bool = false,
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: Int = #column
) -> Bool {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    let result = LossCheck.check(contentsOf: path, options: options, simulate: simulate)
    return HealthCheck(severity: severity, ignoring: ignoring, site: site).verify(result.reports, fileErrors: result.fileErrors)
}

/// Fails the current test when a loss written in Swift has a finding at or above `severity`.
///
/// ```swift
/// assertHealthyLoss(name: "mse") { yTrue, yPred in
///     try ((yPred - yTrue) * (yPred - yTrue)).mean()
/// }
/// ```
///
/// - Parameters:
///   - name: the name the failure message uses.
///   - domain: whether `yPred` is a probability (the default) or a logit.
///   - severity: the lowest severity that fails (`.warning` by default).
///   - ignoring: rules not to fail on: codes, names or prefixes.
///   - body: the loss of the target `yTrue` and the prediction `yPred`, channels-last (`NHWC`).
/// - Returns: whether the loss passed.
@discardableResult
public func assertHealthyLoss(
    name: String = "closure", domain: InputDomain = .probabilities, failingOn severity: Severity = .warning,
    ignoring: [String] = [],
    fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: Int = #column,
    _ body: @escaping @Sendable (_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor
) -> Bool {
    let site = CallSite(fileID: fileID, filePath: filePath, line: line, column: column)
    let report = LossCheck.check(name: name, domain: domain, body)
    return HealthCheck(severity: severity, ignoring: ignoring, site: site).verify([report], fileErrors: [])
}

/// Where an assertion was called, in the forms both frameworks want.
struct CallSite {
    let fileID: String
    let filePath: StaticString
    let line: UInt
    let column: Int

    /// Fails the running test: `Issue.record` inside a Swift Testing test, `XCTFail` otherwise.
    func fail(_ message: String) {
        if Test.current != nil {
            Issue.record(Comment(rawValue: message),
                         sourceLocation: SourceLocation(fileID: fileID, filePath: "\(filePath)", line: Int(line), column: column))
        } else {
            XCTFail(message, file: filePath, line: line)
        }
    }
}

/// The judgement shared by every assertion: which findings fail, and the message that lists them.
struct HealthCheck {
    let severity: Severity
    let ignoring: [String]
    let site: CallSite

    func verify(_ reports: [Report], fileErrors: [Finding]) -> Bool {
        var selectors: [RuleSelector] = []
        for text in ignoring {
            guard let selector = RuleSelector(text) else {
                site.fail("`ignoring:` names no rule: `\(text)` (give codes like LD405, names or prefixes like LD4)")
                return false
            }
            selectors.append(selector)
        }
        let selection = RuleSelection([RuleSelection.Layer(ignore: selectors)])
        if !fileErrors.isEmpty || reports.isEmpty {
            let lines = fileErrors.map { "  " + Self.describe($0) }
            site.fail((["the source could not be analysed:"] + lines).joined(separator: "\n"))
            return false
        }
        var passed = true
        for report in reports {
            let failing = report.findings.filter { $0.severity >= severity && selection.includes($0.code) }
            guard !failing.isEmpty else { continue }
            passed = false
            site.fail(Self.message(report, failing, severity))
        }
        return passed
    }

    /// `loss `dice-floor` is not healthy: 1 error, 1 warning (failing on warning and above)`, one block
    /// per finding, and where to read more.
    static func message(_ report: Report, _ failing: [Finding], _ severity: Severity) -> String {
        let counts = Severity.allCases.reversed().compactMap { level -> String? in
            let count = failing.filter { $0.severity == level }.count
            guard count > 0 else { return nil }
            return "\(count) \(level.rawValue)\(count == 1 || level == .info ? "" : "s")"
        }
        var lines = ["loss `\(report.loss)` is not healthy: \(counts.joined(separator: ", ")) (failing on \(severity.rawValue) and above)"]
        lines += failing.map { "  " + describe($0) }
        let codes = Array(Set(failing.map(\.code))).sorted()
        lines.append("run `loss-doctor explain \(codes[0])` for what a rule measures and why")
        return lines.joined(separator: "\n")
    }

    /// `error[LD101] floor-division: message (at losses.py:3:5)`, then its fix on the next line.
    static func describe(_ finding: Finding) -> String {
        let place = finding.site.map { " (at \($0.file):\($0.line):\($0.column))" } ?? finding.probe.map { " (probe \($0))" } ?? ""
        return "\(finding.severity.rawValue)[\(finding.code)] \(finding.name): \(finding.message)\(place)\n    fix: \(finding.fix)"
    }
}
