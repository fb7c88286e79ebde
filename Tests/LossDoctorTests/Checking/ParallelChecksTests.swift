import Foundation
import Testing
@testable import LossDoctor

/// Files checked on several threads give the report one thread gives, byte for byte.
@Suite("ParallelChecks")
struct ParallelChecksTests {
    @Test("the indices are grouped by file in order of first appearance; built-ins stand alone")
    func grouping() {
        #expect(ParallelChecks.groups(["a.py", "a.py", "b.py", nil, "a.py", nil]) == [[0, 1, 4], [2], [3], [5]])
        #expect(ParallelChecks.groups([]) == [])
    }

    @Test("every index is checked once, a group's in order on one thread, and reports come back by index")
    func runsEveryIndexOnce() {
        let groups = [[0, 2, 5], [1], [3, 4], [6]]
        let lock = NSLock()
        var order: [Int] = []
        var threads: [Int: String] = [:]
        let reports = ParallelChecks.run(count: 7, groups: groups, threads: 2) { index in
            lock.withLock {
                order.append(index)
                threads[index] = "\(pthread_self())"
            }
            return Report(loss: "loss \(index)", findings: [], evidence: .none("loss \(index)"))
        }
        #expect(reports.map(\.loss) == (0..<7).map { "loss \($0)" })
        #expect(order.sorted() == Array(0..<7))
        #expect(order.firstIndex(of: 0)! < order.firstIndex(of: 2)! && order.firstIndex(of: 2)! < order.firstIndex(of: 5)!)
        #expect(Set([threads[0], threads[2], threads[5]]).count == 1, "a file's losses share one thread")
    }

    @Test("check of the fixture directory: the same JSON and exit status on 1 and on 2 threads")
    func sameBytesOnOneAndTwoThreads() {
        let arguments = ["check", fixturesDirectory + "/losses", "--format", "json", "--no-simulate"]
        let one = CommandLineTool.run(arguments, environment: ["LOSS_DOCTOR_THREADS": "1"])
        let two = CommandLineTool.run(arguments, environment: ["LOSS_DOCTOR_THREADS": "2"])
        #expect(one.stdout.count > 10_000, "\(one.stderr)")
        #expect(one.stdout == two.stdout)
        #expect(one.exitCode == two.exitCode)
    }
}
