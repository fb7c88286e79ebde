#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`: what `check --execute` needs of Foundation's `Process`, which
/// is not in FoundationEssentials (importing Foundation for it would link all of Foundation, ICU data
/// included, into the static binary).
struct Subprocess {
    let id: pid_t

    /// Why the child could not be started: the system's reason (`no such file or directory`).
    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `executable` (a path; no PATH search) with exactly `arguments` and `environment`, in
    /// `directory`: standard input from /dev/null, standard output and error into the files (created or
    /// truncated), so the child can never block on a pipe nobody reads.
    static func start(_ executable: String, arguments: [String], environment: [String: String], directory: String,
                      standardOutput: String, standardError: String) throws(StartFailure) -> Subprocess {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard addChangeDirectory(&actions, directory) == 0 else {
            throw StartFailure(description: "cannot change to the directory '\(directory)'")
        }

        // The child starts with no signal blocked and default handlers: a dispatch worker thread (several
        // files are checked in parallel) blocks signals, and the mask would outlive exec, so SIGTERM would not
        // reach the child.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), defaultSignals = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&defaultSignals)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&defaultSignals, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var pid = pid_t()
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw StartFailure(description: ReadBoundary.reason(code)) }
        return Subprocess(id: pid)
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29, macOS 10.15): Swift's Glibc module is built
    /// without `_GNU_SOURCE`, which declares it, so on Linux it is looked up by name (the binary needs glibc
    /// 2.35 anyway). Returns an errno code; ENOSYS when the C library lacks it.
    private static func addChangeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ directory: String) -> Int32 {
        #if canImport(Glibc)
        typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        // A null handle is RTLD_DEFAULT: the libraries already loaded.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return ENOSYS }
        return unsafeBitCast(symbol, to: AddChdir.self)(actions, directory)
        #else
        return posix_spawn_file_actions_addchdir_np(actions, directory)
        #endif
    }

    /// Waits for the child until `deadline`: its exit status (the signal's number when a signal ended it),
    /// or nil when it is still running. Once a status is returned the child is gone: do not signal it again.
    func status(waitingUntil deadline: ContinuousClock.Instant) -> Int32? {
        while true {
            var status: Int32 = 0
            let reaped = waitpid(id, &status, WNOHANG)
            if reaped == id { return Self.exitStatus(status) }
            // An error other than an interrupted wait (the child is not ours to wait for): nothing to wait on.
            if reaped == -1 && errno != EINTR { return -1 }
            if ContinuousClock.now >= deadline { return nil }
            usleep(20_000)
        }
    }

    /// Ends a child still running: SIGTERM, then SIGKILL after `grace`; returns once it is gone.
    func terminate(grace: Duration = .milliseconds(500)) {
        kill(id, SIGTERM)
        if status(waitingUntil: .now + grace) != nil { return }
        kill(id, SIGKILL)
        _ = status(waitingUntil: .now + .seconds(1_000_000_000))
    }

    /// The exit code, or the number of the signal that ended the child (as Foundation's `Process` reports it).
    private static func exitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }
}
