@testable import LossDoctor

/// Every built-in loss checked once per test run, shared by the tests that read the reports.
enum BuiltinReports {
    static let all: [String: Report] = Dictionary(uniqueKeysWithValues: ReferenceLosses.all.map {
        ($0.name, LossCheck.check($0.function, simulate: true))
    })

    static func report(_ name: String) -> Report { all[name]! }
}
