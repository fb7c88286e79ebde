#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks the losses of several files on every core: losses of different files share nothing (each file
/// has its own interpreter; the process-wide budget is thread-safe), while the losses of one file share
/// its module state, so a file's losses run one after the other on one thread. Reports come back in input
/// order, so the output is the same bytes as a sequential run.
enum ParallelChecks {
    /// The threads a check uses by default: the processors this process may run on.
    static var defaultThreads: Int { Swift.max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `check(index)` for every index of `groups` (each group a list of indices run in order, on
    /// one thread) with up to `threads` threads, and returns the reports by index, `0..<count`.
    static func run(count: Int, groups: [[Int]], threads: Int, _ check: (Int) -> Report) -> [Report] {
        let results = UnsafeMutableBufferPointer<Report?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize().deallocate() }
        let workers = Swift.min(Swift.max(1, threads), groups.count)
        if workers <= 1 {
            for group in groups { for index in group { results[index] = check(index) } }
        } else {
            // The biggest files first, so that no thread is left with a long file at the end.
            let order = groups.indices.sorted { groups[$0].count > groups[$1].count }.map { groups[$0] }
            withoutActuallyEscaping(check) { check in
                let work = Work(results: results, order: order, check: check)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in work.drain() }
            }
        }
        return results.map { $0! }
    }

    /// The indices of `paths` grouped by path, groups in order of first appearance; nil paths (built-ins)
    /// each alone.
    static func groups(_ paths: [String?]) -> [[Int]] {
        var groups: [[Int]] = []
        var byPath: [String: Int] = [:]
        for (index, path) in paths.enumerated() {
            if let path, let group = byPath[path] {
                groups[group].append(index)
            } else {
                if let path { byPath[path] = groups.count }
                groups.append([index])
            }
        }
        return groups
    }

    /// What the threads share: each takes the next group until none is left and writes its reports. Each
    /// index is written by exactly one thread, and the buffer is read only after all have joined.
    private final class Work: @unchecked Sendable {
        let results: UnsafeMutableBufferPointer<Report?>
        let order: [[Int]]
        let check: (Int) -> Report
        let next = Counter()

        init(results: UnsafeMutableBufferPointer<Report?>, order: [[Int]], check: @escaping (Int) -> Report) {
            self.results = results
            self.order = order
            self.check = check
        }

        func drain() {
            while let taken = next.take(below: order.count) {
                for index in order[taken] { results[index] = check(index) }
            }
        }
    }

    /// A shared next-index counter.
    private final class Counter: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private var value = 0

        init() { pthread_mutex_init(mutex, nil) }

        deinit {
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
        }

        /// The next index, or nil once `limit` is reached.
        func take(below limit: Int) -> Int? {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}
