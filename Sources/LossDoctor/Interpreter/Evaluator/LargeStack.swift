#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs interpreter work on a thread with a large stack. Parsing and evaluation recurse once per level of
/// nesting: the parser stops at `InterpreterLimits.nestingDepth` (200 levels take about 1.3 MB) and calls
/// at `callDepth` (64 calls of functions nested 66 levels deep take about 16 MB), which is more than a
/// secondary thread has (512 KB on macOS, 8 MB on Linux). The reserved stack is address space only:
/// pages are committed as they are touched. Threads are kept and reused (a loss is evaluated about 200
/// times per check), one per caller at a time.
enum LargeStack {
    /// Bytes of stack reserved for the work.
    static let size = 256 << 20
    /// Idle threads kept for the next calls.
    static let keptIdle = 4

    /// Runs `body` on a large-stack thread and waits for it; runs it in place if no such thread can be made.
    static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try withoutActuallyEscaping(body) { (body) throws(E) -> T in
            guard let worker = pool.take() ?? Worker.start() else { return try body() }
            let job = Job<T, E>(body)
            worker.perform(job)
            pool.give(worker)
            return try job.result!.get()
        }
    }

    private static let pool = Pool()

    /// Work for a thread; its entry point cannot be generic, so it calls `run` of this class.
    private class Runnable {
        func run() {}
    }

    private final class Job<T, E: Error>: Runnable {
        /// Dropped once run: the closure must not outlive `withoutActuallyEscaping`, and the worker's
        /// thread may still hold the job for a moment.
        private var body: (() throws(E) -> T)?
        var result: Result<T, E>?

        init(_ body: @escaping () throws(E) -> T) { self.body = body }

        override func run() {
            guard let body else { return }
            self.body = nil
            result = Result { () throws(E) -> T in try body() }
        }
    }

    /// The idle threads.
    private final class Pool: @unchecked Sendable {
        private let lock = Lock()
        private var idle: [Worker] = []

        func take() -> Worker? { lock.locked { idle.popLast() } }

        func give(_ worker: Worker) {
            let kept = lock.locked { () -> Bool in
                guard idle.count < keptIdle else { return false }
                idle.append(worker)
                return true
            }
            if !kept { worker.stop() }
        }
    }

    /// A thread with a large stack that runs one job at a time, handed over under its lock.
    private final class Worker: @unchecked Sendable {
        private let lock = Lock()
        private var job: Runnable?
        private var finished = false
        private var stopping = false

        /// A new worker on its own thread, or nil when no thread can be made.
        static func start() -> Worker? {
            let worker = Worker()
            var attributes = pthread_attr_t()
            guard pthread_attr_init(&attributes) == 0 else { return nil }
            defer { pthread_attr_destroy(&attributes) }
            guard pthread_attr_setstacksize(&attributes, size) == 0,
                  pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) == 0 else { return nil }
            let context = Unmanaged.passRetained(worker).toOpaque()
            #if canImport(Darwin)
            var thread: pthread_t?
            #else
            var thread = pthread_t()
            #endif
            let created = pthread_create(&thread, &attributes, { context in
                #if canImport(Darwin)
                Unmanaged<Worker>.fromOpaque(context).takeRetainedValue().loop()
                #else
                Unmanaged<Worker>.fromOpaque(context!).takeRetainedValue().loop()
                #endif
                return nil
            }, context)
            guard created == 0 else {
                Unmanaged<Worker>.fromOpaque(context).release()
                return nil
            }
            return worker
        }

        /// Runs `job` on the worker's thread and waits until it is done.
        func perform(_ job: Runnable) {
            lock.locked {
                self.job = job
                finished = false
                lock.broadcast()
                while !finished { lock.wait() }
            }
        }

        /// Ends the worker's thread once it is idle.
        func stop() {
            lock.locked {
                stopping = true
                lock.broadcast()
            }
        }

        private func loop() {
            while true {
                let next: Runnable? = lock.locked {
                    while job == nil && !stopping { lock.wait() }
                    return job
                }
                guard let next else { return }
                next.run()
                lock.locked {
                    job = nil
                    finished = true
                    lock.broadcast()
                }
            }
        }
    }

    /// A pthread mutex with one condition variable.
    private final class Lock: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

        init() {
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(condition, nil)
        }

        deinit {
            pthread_cond_destroy(condition)
            pthread_mutex_destroy(mutex)
            condition.deallocate()
            mutex.deallocate()
        }

        func locked<T>(_ body: () -> T) -> T {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return body()
        }

        /// Waits for a broadcast; call with the lock held.
        func wait() { pthread_cond_wait(condition, mutex) }

        func broadcast() { pthread_cond_broadcast(condition) }
    }
}

/// A count of elements shared by the interpreters of a process (their module code), safe across threads.
final class SharedBudget: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var used = 0

    init() { pthread_mutex_init(mutex, nil) }

    /// Adds `cost`, failing (and taking it back) when the total would pass `limit`.
    func charge(_ cost: Int, limit: Int) throws(EngineError) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let total = used > Int.max - cost ? Int.max : used + cost
        guard total <= limit else { throw .budgetExceeded(elements: total, limit: limit) }
        used = total
    }

    /// Gives back what an interpreter charged, when it goes.
    func refund(_ cost: Int) {
        pthread_mutex_lock(mutex)
        used = Swift.max(0, used - cost)
        pthread_mutex_unlock(mutex)
    }
}
